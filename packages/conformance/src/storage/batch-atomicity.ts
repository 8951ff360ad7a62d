import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { isUniqueViolation } from '../unique-violation';
import { newEntry, query, uid, useHarness } from './support';

/** Entries per statement assumed when the harness states no `insertChunk`. */
const UNSPLIT_BATCH = 1_100;

/**
 * A batch too large for one statement is still one write: when its last statement fails, the
 * statements before it are undone and nothing of the batch is stored.
 */
export function batchAtomicityTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('batches past one statement', () => {
    const s = useHarness(options);

    it('a batch past one statement writes nothing when an entry of its last statement fails', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const taken = uid('evt');
      await h.storage.insert([newEntry({ tool, eventId: taken })]);
      // A full statement, then a second one whose last entry repeats a stored eventId.
      const n = (h.insertChunk ?? UNSPLIT_BATCH) + 100;
      const batch = Array.from({ length: n }, (_, i) =>
        newEntry({ tool, eventId: i === n - 1 ? taken : null }),
      );
      await expect(h.storage.insert(batch)).rejects.toSatisfy(isUniqueViolation);
      const after = await h.storage.find(query({ tool, withCount: true, limit: 2 }));
      expect(after.count).toBe(1);
      expect(after.results.map((e) => e.eventId)).toEqual([taken]);
    });
  });
}
