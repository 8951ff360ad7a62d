import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { at, compareEntries, ids, newEntry, query, uid, useHarness, walk } from './support';

/** Order by `(timestamp, id)`: newest first by default, ties broken by id in both directions. */
export function orderingTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('ordering', () => {
    const s = useHarness(options);

    it('is newest first by default and oldest first with order=asc', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const stored = await h.storage.insert(
        [3, 1, 4, 0, 2].map((n) => newEntry({ tool, timestamp: at(n), message: `t${n}` })),
      );
      const desc = await h.storage.find(query({ tool }));
      expect(desc.results.map((e) => e.message)).toEqual(['t4', 't3', 't2', 't1', 't0']);
      const asc = await h.storage.find(query({ tool, order: 'asc' }));
      expect(ids(asc.results)).toEqual(ids([...stored].sort(compareEntries)));
    });

    it('breaks timestamp ties by id, asc exactly the reverse of desc', async () => {
      const h = s.harness();
      const tool = uid('tool');
      // Two batches at the same instant, plus neighbours just before and after it.
      await h.storage.insert(
        Array.from({ length: 5 }, (_, i) => newEntry({ tool, timestamp: at(5), message: `a${i}` })),
      );
      await h.storage.insert([
        newEntry({ tool, timestamp: at(5), message: 'b0' }),
        newEntry({ tool, timestamp: at(4.999), message: 'before' }),
        newEntry({ tool, timestamp: at(5.001), message: 'after' }),
        newEntry({ tool, timestamp: at(5), message: 'b1' }),
      ]);
      const asc = (await h.storage.find(query({ tool, order: 'asc' }))).results;
      const desc = (await h.storage.find(query({ tool, order: 'desc' }))).results;
      expect(asc).toHaveLength(9);
      expect(ids(asc)).toEqual(ids([...asc].sort(compareEntries)));
      expect(ids(desc)).toEqual(ids(asc).reverse());
      expect(asc[0]?.message).toBe('before');
      expect(asc[8]?.message).toBe('after');
    });

    it('pages through a run of equal timestamps in the same order as one big page', async () => {
      const h = s.harness();
      const tool = uid('tool');
      await h.storage.insert(
        Array.from({ length: 8 }, (_, i) => newEntry({ tool, timestamp: at(7), message: `${i}` })),
      );
      for (const order of ['asc', 'desc'] as const) {
        const whole = (await h.storage.find(query({ tool, order }))).results;
        const pages = await walk(h.storage, { tool, order, limit: 3 });
        expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
        expect(ids(pages.flat())).toEqual(ids(whole));
      }
    });

    it('keeps millisecond precision in the order', async () => {
      const h = s.harness();
      const tool = uid('tool');
      await h.storage.insert(
        [0.003, 0.001, 0.002].map((n) => newEntry({ tool, timestamp: at(n), message: `${n}` })),
      );
      const asc = (await h.storage.find(query({ tool, order: 'asc' }))).results;
      expect(asc.map((e) => e.timestamp.getTime())).toEqual(
        [at(0.001), at(0.002), at(0.003)].map((d) => d.getTime()),
      );
    });
  });
}
