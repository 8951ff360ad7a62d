import { StorageError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { isUniqueViolation } from '../unique-violation';
import { newEntry, query, uid, useHarness } from './support';

/** `eventId` is unique in every adapter: a retried `log()` writes exactly one entry. */
export function idempotencyTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('idempotency (eventId)', () => {
    const s = useHarness(options);

    async function countTool(tool: string) {
      return (await s.harness().storage.find(query({ tool, withCount: true }))).count;
    }

    it('insert() refuses a stored eventId and writes none of the batch', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const eventId = uid('evt');
      await h.storage.insert([newEntry({ tool, eventId })]);
      await expect(
        h.storage.insert([newEntry({ tool }), newEntry({ tool, eventId })]),
      ).rejects.toSatisfy(isUniqueViolation);
      expect(await countTool(tool)).toBe(1);
    });

    it('insert() refuses the same eventId twice in one batch and writes nothing', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const eventId = uid('evt');
      await expect(
        h.storage.insert([newEntry({ tool, eventId }), newEntry({ tool, eventId })]),
      ).rejects.toSatisfy(isUniqueViolation);
      expect(await countTool(tool)).toBe(0);
    });

    it('a retried log() with the same eventId stores one entry', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const input = { template: 'paid', tool, action: 'pay', eventId: uid('evt') };
      const first = await s.service().log(input);
      const retry = await s
        .service()
        .log(input)
        .catch((e: unknown) => e);
      if (h.storage.capabilities.eventIdLookup) {
        // Idempotent: the retry gets the stored entry back.
        expect(retry).toEqual(first);
      } else {
        expect(retry).toBeInstanceOf(StorageError);
      }
      expect(await countTool(tool)).toBe(1);
      expect(await h.readRaw(first.id)).toEqual(first);
    });

    it('concurrent log() calls with one eventId store one entry', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const input = { template: 'once', tool, action: 'create', eventId: uid('evt') };
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => s.service().log(input)),
      );
      const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      expect(ok.length).toBeGreaterThan(0);
      expect(new Set(ok.map((e) => e.id)).size).toBe(1);
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StorageError);
      }
      if (h.storage.capabilities.eventIdLookup) expect(ok).toHaveLength(5);
      expect(await countTool(tool)).toBe(1);
    });

    it('a retry inside a transaction returns the stored entry and the transaction goes on', async (ctx) => {
      const h = s.harness();
      if (!h.storage.capabilities.eventIdLookup || !h.storage.capabilities.transactions) {
        ctx.skip('storage lacks the eventIdLookup or transactions capability');
      }
      if (!h.withTransaction) ctx.skip('the harness has no withTransaction');
      const inTx = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> =>
        h.withTransaction?.(fn) ?? Promise.reject(new Error('no withTransaction'));
      const tool = uid('tool');
      const input = { template: 'shipped', tool, action: 'ship', eventId: uid('evt') };
      const [first, sameTx] = await inTx(async (tx) => {
        const a = await s.service().log(input, { transaction: tx });
        // Seen through the open transaction, before it commits.
        const b = await s.service().log(input, { transaction: tx });
        return [a, b];
      });
      expect(sameTx).toEqual(first);
      // A later retry (Mongo's withTransaction re-runs the whole callback) in a new transaction:
      // no unique-key failure aborts it, so the rest of its work still commits.
      const [retried, other] = await inTx(async (tx) => [
        await s.service().log(input, { transaction: tx }),
        await s.service().log({ ...input, eventId: uid('evt') }, { transaction: tx }),
      ]);
      expect(retried).toEqual(first);
      expect(await h.readRaw(other.id)).toEqual(other);
      expect(await countTool(tool)).toBe(2);
    });

    it('findByEventId() finds the stored entry, or null (when the capability is declared)', async (ctx) => {
      const h = s.harness();
      const find = h.storage.findByEventId;
      if (!h.storage.capabilities.eventIdLookup || !find) {
        ctx.skip('storage does not declare the eventIdLookup capability');
      }
      const eventId = uid('evt');
      const [stored] = await h.storage.insert([newEntry({ eventId })]);
      expect(await find?.call(h.storage, eventId)).toEqual(stored);
      expect(await find?.call(h.storage, uid('evt'))).toBeNull();
    });
  });
}
