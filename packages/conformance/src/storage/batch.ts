import { ValidationError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { at, ids, newEntry, query, uid, useHarness, walk } from './support';

/** `batchId`: the entries of one action, stored on every entry and listed together. */
export function batchTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('batches', () => {
    const s = useHarness(options);

    const inputs = (tool: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        template: `step ${i}`,
        tool,
        action: 'update',
        timestamp: at(i),
      }));

    it('logMany() with a batchId stores it on every entry, as really written', async () => {
      const tool = uid('tool');
      const batchId = uid('batch');
      const stored = await s.service().logMany(inputs(tool, 3), { batchId });
      expect(stored.map((e) => e.batchId)).toEqual([batchId, batchId, batchId]);
      for (const entry of stored) {
        expect((await s.harness().readRaw(entry.id))?.batchId).toBe(batchId);
        expect((await s.service().get(entry.id))?.batchId).toBe(batchId);
      }
      const [alone] = await s.service().logMany(inputs(tool, 1));
      expect((await s.harness().readRaw(alone?.id as string))?.batchId).toBeNull();
    });

    it('batchId: true generates one id shared by the whole batch, another per call', async () => {
      const tool = uid('tool');
      const first = await s.service().logMany(inputs(tool, 2), { batchId: true });
      const second = await s.service().logMany(inputs(tool, 2), { batchId: true });
      const a = first[0]?.batchId;
      expect(a).toEqual(expect.any(String));
      expect(first[1]?.batchId).toBe(a);
      expect(second[0]?.batchId).not.toBe(a);
      expect((await s.harness().readRaw(first[1]?.id as string))?.batchId).toBe(a);
    });

    it('list({ batchId }) returns exactly that batch, in order, across cursor pages', async () => {
      const tool = uid('tool');
      const batchId = uid('batch');
      const batch = await s.service().logMany(inputs(tool, 5), { batchId });
      await s.service().logMany(inputs(tool, 3), { batchId: uid('batch') });
      await s.harness().storage.insert([newEntry({ tool, timestamp: at(2) })]);
      const pages = await walk(s.harness().storage, { batchId, order: 'asc', limit: 2 });
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(pages.flat().map((e) => e.id)).toEqual(ids(batch));
      const page = await s.harness().storage.find(query({ batchId, withCount: true, limit: 1 }));
      expect(page.count).toBe(5);
      expect(page.results[0]?.id).toBe(batch[4]?.id);
      const none = await s.service().list({ batchId: uid('batch') });
      expect(none.results).toEqual([]);
    });

    it('a malformed batchId is a ValidationError naming it, and nothing is written', async () => {
      const tool = uid('tool');
      for (const batchId of ['', 'x'.repeat(256), 'a\u0000b', 42, false]) {
        const error = await s
          .service()
          .logMany(inputs(tool, 1), { batchId: batchId as string })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues[0]?.path).toEqual(['batchId']);
      }
      expect((await s.service().list({ tool: [tool] })).results).toEqual([]);
    });
  });
}
