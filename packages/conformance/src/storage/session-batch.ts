import { EventLogService } from '@eventlog/core';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions, StorageHarness } from '../harness';
import { isUniqueViolation } from '../unique-violation';
import { lookupMissesOnce } from './idempotency-conflict';
import { newEntry, query, uid, useHarness } from './support';

const REASON = 'the harness has no withSession (the backend has no handle outside a transaction)';
/** Over 100 MB cross the wire in a test below; jongodb takes some 30 s for it on a busy machine. */
const LARGE_BATCH_TIMEOUT = 120_000;

/**
 * A batch is all-or-nothing with any handle the storage accepts as `{ transaction }`, including
 * one that opens no transaction (a MongoDB session outside a transaction): a failed `insert`
 * writes none of the batch, so the service's recovery after a lost `eventId` race stores each
 * entry once. The batches here total over 48 MB, so a MongoDB driver sends them in several
 * `insert` commands and the server keeps the first ones even where one command is atomic.
 */
export function sessionBatchTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('batches with a handle outside a transaction', () => {
    const s = useHarness(options);

    function withSession(ctx: TestContext): NonNullable<StorageHarness<Tx>['withSession']> {
      const h = s.harness();
      if (!h.withSession) ctx.skip(REASON);
      return h.withSession?.bind(h) as NonNullable<StorageHarness<Tx>['withSession']>;
    }

    async function countTool(tool: string) {
      return (await s.harness().storage.find(query({ tool, withCount: true }))).count;
    }

    it(
      'insert() refuses a stored eventId late in a large batch and writes none of it',
      async (ctx) => {
        const inSession = withSession(ctx);
        const h = s.harness();
        const tool = uid('tool');
        const eventId = uid('evt');
        await h.storage.insert([newEntry({ tool, eventId })]);
        const message = 'x'.repeat(10 * 1024 * 1024);
        const batch = [1, 2, 3, 4, 5].map(() => newEntry({ tool, message }));
        const error = await inSession((tx) =>
          h.storage.insert([...batch, newEntry({ tool, eventId })], { transaction: tx }),
        ).catch((e: unknown) => e);
        expect(isUniqueViolation(error)).toBe(true);
        expect(await countTool(tool)).toBe(1);
      },
      LARGE_BATCH_TIMEOUT,
    );

    it(
      'logMany() after a lost eventId race stores each entry once',
      async (ctx) => {
        const inSession = withSession(ctx);
        const h = s.harness();
        const tool = uid('tool');
        const retried = { template: 'paid', tool, action: 'pay', eventId: uid('evt') };
        const first = await s.service().log(retried);
        // 7 entries of 8 MB (a value and the message of 4 MB each, under the default limit).
        const values = { v: 'x'.repeat(4_000_000) };
        const batch = [1, 2, 3, 4, 5, 6, 7].map((n) => ({
          template: '{v}',
          values,
          tool,
          action: `a${n}`,
        }));
        // The lookup misses the stored eventId, as when a concurrent writer commits it between the
        // service's lookup and its insert: the insert fails on it, and the service recovers.
        const stored = await inSession((tx) =>
          new EventLogService(lookupMissesOnce(h.storage)).logMany([...batch, retried], {
            transaction: tx,
          }),
        );
        expect(stored).toHaveLength(8);
        expect(stored[7]).toEqual(first);
        expect(await countTool(tool)).toBe(8);
      },
      LARGE_BATCH_TIMEOUT,
    );
  });
}
