import type { EventLog } from '@eventlog/core';
import type { NewEventLog } from '@eventlog/core/storage';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { isUniqueViolation } from '../unique-violation';
import { at, compareIds, newEntry, query, uid, useHarness } from './support';

/** Entries per batch when the harness states no `bulkFrom`. */
const LARGE_BATCH = 600;

/**
 * Text that a bulk format has to carry exactly: its column and row separators, its escape
 * character and NULL marker as data, and a line that would end COPY's data.
 */
const AWKWARD = ['a\tb', 'line\nnext', 'cr\r\n', 'back\\slash', '\\N', '\\.', '\\\\t', ' '];

/**
 * Large batches: storages may write them through a bulk path (PostgreSQL COPY) rather than
 * INSERT statements; what is stored and returned, and the all-or-nothing rule, stay the same.
 */
export function bulkTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('large batches', () => {
    const s = useHarness(options);

    /** A batch of the bulk size: awkward text in every text and JSON field of some entries. */
    const batch = (tool: string, batchId: string): NewEventLog[] => {
      const n = s.harness().bulkFrom ?? LARGE_BATCH;
      return Array.from({ length: n }, (_, i) => {
        const text = AWKWARD[i % AWKWARD.length] as string;
        return newEntry({
          tool,
          timestamp: at(i % 7),
          message: `entry ${i} ${text}`,
          template: i % 2 ? null : `{x} ${text}`,
          values: i % 2 ? null : { x: text, [text]: [i, true, null] },
          actorId: i % 3 ? `actor ${text}` : null,
          actorLabel: i % 3 ? text : null,
          objectType: 'Row',
          objectId: String(i),
          changes: { oldValue: { [text]: i }, newValue: { status: text } },
          metadata: i % 4 ? { note: text } : null,
          eventId: i % 5 ? null : uid(`evt ${text}`),
          batchId,
        });
      });
    };

    it('a large batch is stored exactly, ids in input order, with its changed keys', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const batchId = uid('batch');
      const entries = batch(tool, batchId);
      const stored = await h.storage.insert(entries);

      expect(stored).toHaveLength(entries.length);
      const ids = stored.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort(compareIds)).toEqual(ids);
      const unchained = { chain: null, seq: null, prevHash: null, hash: null };
      stored.forEach((e, i) => {
        expect(e).toEqual({ ...entries[i], id: e.id, ...unchained });
      });
      // What is really written: every awkward text at least once, and the ends of the batch.
      const sample = [...stored.slice(0, AWKWARD.length * 2), stored[stored.length - 1]];
      for (const e of sample as EventLog[]) expect(await h.readRaw(e.id)).toEqual(e);

      const counted = async (q: Parameters<typeof query>[0]) =>
        (await h.storage.find(query({ ...q, limit: 1, withCount: true }))).count;
      expect(await counted({ batchId })).toBe(entries.length);
      expect(await counted({ tool: [tool], changedKey: 'status' })).toBe(entries.length);
      expect(await counted({ tool: [tool], changedKey: AWKWARD[1] })).toBe(
        entries.filter((_, i) => i % AWKWARD.length === 1).length,
      );
    });

    it('a large batch repeating a stored eventId writes nothing, changed keys included', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const taken = uid('evt');
      await h.storage.insert([newEntry({ tool: uid('tool'), eventId: taken })]);
      const entries = batch(tool, uid('batch'));
      entries[entries.length - 1] = { ...(entries[0] as NewEventLog), eventId: taken };
      await expect(h.storage.insert(entries)).rejects.toSatisfy(isUniqueViolation);
      expect(await h.storage.find(query({ tool: [tool], withCount: true }))).toMatchObject({
        results: [],
        count: 0,
      });
      const keyed = await h.storage.find(query({ changedKey: 'status', withCount: true }));
      expect(keyed.results.filter((e) => e.tool === tool)).toEqual([]);
    });

    it("a large batch inside the caller's transaction rolls back with it", async (ctx) => {
      const h = s.harness();
      if (!h.storage.capabilities.transactions || !h.withTransaction) {
        ctx.skip('storage does not declare the transactions capability (or no withTransaction)');
      }
      const tool = uid('tool');
      const failure = new Error('rolled back on purpose');
      await expect(
        (h.withTransaction as NonNullable<typeof h.withTransaction>)(async (tx) => {
          const stored = await h.storage.insert(batch(tool, uid('batch')), { transaction: tx });
          expect(stored.length).toBeGreaterThan(0);
          throw failure;
        }),
      ).rejects.toBe(failure);
      const after = await h.storage.find(query({ tool: [tool], withCount: true }));
      expect(after.count).toBe(0);
    });
  });
}
