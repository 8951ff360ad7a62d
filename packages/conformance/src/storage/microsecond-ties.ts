import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { query, uid, useHarness } from './support';

// Rows written by other tools (or by PostgreSQL's now()) carry microseconds a JS Date cannot
// hold; a cursor built from a Date would skip or repeat them.
const STAMPS = [
  '2024-03-01T10:00:00.000001Z',
  '2024-03-01T10:00:00.000002Z',
  '2024-03-01T10:00:00.000002Z',
  '2024-03-01T10:00:00.000900Z',
  '2024-03-01T10:00:00.001000Z',
  '2024-03-01T10:00:00.001001Z',
];

/** Keyset pages over rows that differ only in microseconds, as written by another tool. */
export function microsecondTieTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('rows with microseconds written around the adapter', () => {
    const s = useHarness(options);

    it('walks rows differing only in microseconds without skip or repeat', async (ctx) => {
      const h = s.harness();
      if (!h.writeRaw) {
        return ctx.skip(`${options.name} stores no finer than milliseconds: no writeRaw hook`);
      }
      const tool = uid('tool');
      // Shuffled, so ids do not follow time order.
      for (const i of [3, 0, 5, 2, 1, 4]) {
        await h.writeRaw({ timestamp: STAMPS[i] as string, message: `m${i}`, tool, action: 'a' });
      }
      const stampOf = (message: string) => STAMPS[Number(message.slice(1))] as string;
      const all = (await h.storage.find(query({ tool, order: 'asc', limit: 100 }))).results;
      const asc = all.map((e) => e.message);
      expect([...asc].sort()).toEqual(STAMPS.map((_, i) => `m${i}`));
      expect(asc.map(stampOf)).toEqual([...STAMPS].sort());
      for (const order of ['asc', 'desc'] as const) {
        for (const limit of [1, 2, 4]) {
          const seen: string[] = [];
          let cursor: string | null = null;
          do {
            const page = await h.storage.find(query({ tool, order, limit, cursor }));
            seen.push(...page.results.map((e) => e.message));
            cursor = page.nextCursor;
          } while (cursor !== null);
          expect(seen).toEqual(order === 'asc' ? asc : [...asc].reverse());
        }
      }
    });
  });
}
