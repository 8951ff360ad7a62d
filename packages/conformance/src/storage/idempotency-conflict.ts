import {
  ConflictError,
  type EventLog,
  EventLogService,
  type LogInput,
  runWithContext,
} from '@eventlog/core';
import type { EventLogStorage } from '@eventlog/core/storage';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { at, query, uid, useHarness } from './support';

/** The real storage, except that the first `findByEventId` misses, as when a concurrent writer
 * commits the same eventId between the service's lookup and its insert. */
export function lookupMissesOnce<Tx>(storage: EventLogStorage<Tx>): EventLogStorage<Tx> {
  let missed = false;
  const find = storage.findByEventId?.bind(storage);
  return {
    name: storage.name,
    capabilities: storage.capabilities,
    insert: (entries, options) => storage.insert(entries, options),
    find: (q) => storage.find(q),
    get: (id) => storage.get(id),
    deleteBefore: (cutoff, filter) => storage.deleteBefore(cutoff, filter),
    ...(find && {
      async findByEventId(eventId, options) {
        if (!missed) {
          missed = true;
          return null;
        }
        return find(eventId, options);
      },
    }),
  };
}

/**
 * A reused `eventId` is a retry only when the call says the same thing again: every field the
 * caller gave (template, values, tool, action, object, changes, its own metadata keys, and actor
 * and timestamp when given). Anything else is a `ConflictError` naming the eventId, and nothing
 * is written, alone, in a batch, in a transaction or after a lost race.
 */
export function idempotencyConflictTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('idempotency: retry or conflict', () => {
    const s = useHarness(options);

    async function countTool(tool: string) {
      return (await s.harness().storage.find(query({ tool, withCount: true }))).count;
    }

    function full(tool: string, eventId: string): LogInput {
      return {
        template: 'Paid {amount} for {item__name}',
        values: { amount: 12, item__name: { name: 'Book' } },
        object: { type: 'Order', id: '7' },
        actor: { id: 'u1', label: 'Ann' },
        tool,
        action: 'pay',
        changes: { oldValue: { paid: false }, newValue: { paid: true, at: [1, { b: 2, a: 1 }] } },
        metadata: { channel: 'web', nested: { z: 1, a: [true, null] } },
        eventId,
        timestamp: at(5),
      };
    }

    it('each field the caller gave, changed, makes a ConflictError naming the eventId', async (ctx) => {
      const h = s.harness();
      if (!h.storage.capabilities.eventIdLookup) ctx.skip('storage lacks eventIdLookup');
      const tool = uid('tool');
      const eventId = uid('evt');
      const input = full(tool, eventId);
      const first = await s.service().log(input);
      // The same call again, through a service with another clock: a retry.
      expect(await s.service().log(full(tool, eventId))).toEqual(first);
      const changed: Partial<LogInput>[] = [
        { template: 'Paid {amount} for {item__name}!' },
        { values: { amount: 13, item__name: { name: 'Book' } } },
        { object: { type: 'Order', id: '8' } },
        { object: undefined },
        { actor: { id: 'u2', label: 'Ann' } },
        { actor: { id: 'u1', label: 'Anne' } },
        { action: 'refund' },
        { changes: { oldValue: { paid: false }, newValue: { paid: 'yes' } } },
        { changes: undefined },
        { metadata: { channel: 'api', nested: { z: 1, a: [true, null] } } },
        { metadata: { channel: 'web', nested: { z: 1, a: [true, null] }, extra: 1 } },
        { timestamp: at(6) },
      ];
      for (const change of changed) {
        const error = await s
          .service()
          .log({ ...input, ...change })
          .catch((e: unknown) => e);
        const what = JSON.stringify(change);
        expect(error, what).toBeInstanceOf(ConflictError);
        expect((error as ConflictError).code, what).toBe('CONFLICT');
        expect((error as ConflictError).eventId, what).toBe(eventId);
      }
      expect(await countTool(tool)).toBe(1);
      expect(await h.readRaw(first.id)).toEqual(first);
    });

    it('a retry without a timestamp, through another request context, is the same call', async (ctx) => {
      const h = s.harness();
      if (!h.storage.capabilities.eventIdLookup) ctx.skip('storage lacks eventIdLookup');
      const tool = uid('tool');
      const input = { template: 'sent', tool, action: 'send', eventId: uid('evt') };
      const first = await runWithContext(
        { actor: { id: 'u1', label: 'Ann' }, ip: '10.0.0.1', requestId: 'r1' },
        () => new EventLogService(h.storage, { clock: () => at(1) }).log(input),
      );
      const retry = await runWithContext({ ip: '10.0.0.2', requestId: 'r2' }, () =>
        new EventLogService(h.storage, { clock: () => at(2) }).log(input),
      );
      expect(retry).toEqual(first);
      expect(first.metadata).toEqual({ ip: '10.0.0.1', requestId: 'r1' });
      expect(await countTool(tool)).toBe(1);
    });

    it('one batch: the same eventId twice is stored once; with other content it is a conflict', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const eventId = uid('evt');
      const entries = await s
        .service()
        .logMany([
          full(tool, eventId),
          { template: 'other', tool, action: 'x' },
          full(tool, eventId),
        ]);
      expect(entries[2]).toEqual(entries[0]);
      expect(await countTool(tool)).toBe(2);
      expect(await h.readRaw(entries[0]?.id ?? '')).toEqual(entries[0]);

      const tool2 = uid('tool');
      const eventId2 = uid('evt');
      const error = await s
        .service()
        .logMany([
          full(tool2, eventId2),
          { template: 'innocent', tool: tool2, action: 'x' },
          { ...full(tool2, eventId2), action: 'refund' },
        ])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).eventId).toBe(eventId2);
      expect(await countTool(tool2)).toBe(0);
    });

    it('a batch reusing a stored eventId with other content writes none of the batch', async (ctx) => {
      if (!s.harness().storage.capabilities.eventIdLookup) ctx.skip('storage lacks eventIdLookup');
      const tool = uid('tool');
      const eventId = uid('evt');
      await s.service().log(full(tool, eventId));
      const error = await s
        .service()
        .logMany([
          { template: 'innocent', tool, action: 'x' },
          { ...full(tool, eventId), template: 'else' },
        ])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(await countTool(tool)).toBe(1);
    });

    it('inside a transaction: a conflict writes nothing and the transaction goes on', async (ctx) => {
      const h = s.harness();
      if (!h.storage.capabilities.eventIdLookup || !h.storage.capabilities.transactions) {
        ctx.skip('storage lacks the eventIdLookup or transactions capability');
      }
      if (!h.withTransaction) ctx.skip('the harness has no withTransaction');
      const tool = uid('tool');
      const eventId = uid('evt');
      const [first, retried, conflict] = await (
        h.withTransaction as NonNullable<typeof h.withTransaction>
      )(async (tx) => {
        const a = await s.service().log(full(tool, eventId), { transaction: tx });
        const b = await s.service().log(full(tool, eventId), { transaction: tx });
        const c = await s
          .service()
          .log({ ...full(tool, eventId), action: 'refund' }, { transaction: tx })
          .catch((e: unknown) => e);
        await s.service().log({ template: 'after', tool, action: 'x' }, { transaction: tx });
        return [a, b, c] as const;
      });
      expect(retried).toEqual(first);
      expect(conflict).toBeInstanceOf(ConflictError);
      expect(await countTool(tool)).toBe(2);
      expect(await h.readRaw(first.id)).toEqual(first);
    });

    it('after a lost race (stored between lookup and insert): a retry or a conflict', async (ctx) => {
      const h = s.harness();
      if (!h.storage.capabilities.eventIdLookup) ctx.skip('storage lacks eventIdLookup');
      const tool = uid('tool');
      const eventId = uid('evt');
      const first: EventLog = await s.service().log(full(tool, eventId));
      const same = await new EventLogService(lookupMissesOnce(h.storage))
        .log(full(tool, eventId))
        .catch((e: unknown) => e);
      expect(same).toEqual(first);
      const other = await new EventLogService(lookupMissesOnce(h.storage))
        .logMany([
          { template: 'innocent', tool, action: 'x' },
          { ...full(tool, eventId), action: 'refund' },
        ])
        .catch((e: unknown) => e);
      expect(other).toBeInstanceOf(ConflictError);
      expect((other as ConflictError).eventId).toBe(eventId);
      expect(await countTool(tool)).toBe(1);
    });
  });
}
