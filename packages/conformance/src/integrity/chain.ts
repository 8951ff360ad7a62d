import { ConfigurationError, EventLogService, IntegrityError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { at, uid } from '../storage/support';
import { bySeq, input, logSeries, useIntegrity } from './support';

/** Partitions, transactions and retention with the chain on. */
export function chainTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('hash chain', () => {
    const s = useIntegrity(options);

    it("partition: 'tool' keeps one independent chain per tool, also within one logMany", async (ctx) => {
      s.harness(ctx);
      const service = s.service(ctx, { partition: 'tool' });
      const [a, b] = [uid('a'), uid('b')];
      const stored = await service.logMany([
        input(1, { tool: a }),
        input(2, { tool: b }),
        input(3, { tool: a }),
      ]);
      expect(stored.map((e) => [e.chain, e.seq])).toEqual([
        [a, 1],
        [b, 1],
        [a, 2],
      ]);
      await service.log(input(4, { tool: b }));
      expect((await service.partitions()).filter((p) => p === a || p === b)).toEqual([a, b].sort());
      expect(await service.verify({ partition: a })).toMatchObject({ ok: true, checked: 2 });
      expect(await service.verify({ partition: b })).toMatchObject({ ok: true, checked: 2 });
      expect(await service.verify()).toMatchObject({ ok: true, checked: 4 });
    });

    it('a partition function names the chain', async (ctx) => {
      s.harness(ctx);
      const tenant = uid('tenant');
      const service = s.service(ctx, { partition: (e) => `${tenant}:${e.actorId}` });
      const [e] = await service.logMany([input(1, { actor: { id: 'u9' } })]);
      expect(e).toMatchObject({ chain: `${tenant}:u9`, seq: 1 });
    });

    it('16 concurrent log() calls through one storage append one gap-free chain', async (ctx) => {
      const h = s.harness(ctx);
      if (h.noConcurrentWrites) return ctx.skip(h.noConcurrentWrites);
      const service = s.service(ctx);
      const stored = await Promise.all(
        Array.from({ length: 16 }, (_, n) => service.log(input(n + 1))),
      );
      expect(stored.map((e) => Number(e.seq)).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 16 }, (_, i) => i + 1),
      );
      expect(await service.verify()).toMatchObject({ ok: true, checked: 16 });
    });

    it('a batch appended with its batch id keeps its order, its changed keys and its chain', async (ctx) => {
      const h = s.harness(ctx);
      const service = s.service(ctx);
      await service.log(input(1));
      const stored = await service.logMany([input(2), input(3, { changes: null }), input(4)], {
        batchId: true,
      });
      expect(stored.map((e) => [e.seq, e.timestamp])).toEqual([
        [2, at(2)],
        [3, at(3)],
        [4, at(4)],
      ]);
      const batchId = stored[0]?.batchId as string;
      expect(stored.every((e) => e.batchId === batchId)).toBe(true);
      for (const e of stored) expect(await h.readRaw(e.id)).toEqual(e);
      const byBatch = await service.list({ batchId, order: 'asc' });
      expect(byBatch.results.map((e) => e.id)).toEqual(stored.map((e) => e.id));
      const byKey = await service.list({ batchId, changedKey: 'n', order: 'asc' });
      expect(byKey.results.map((e) => e.seq)).toEqual([2, 4]);
      expect(await service.verify()).toMatchObject({ ok: true, checked: 4 });
    });

    it('a rolled-back append consumes no seq', async (ctx) => {
      const h = s.harness(ctx);
      if (!h.withTransaction) return ctx.skip(`${options.name} has no transactions`);
      const service = s.service(ctx);
      await service.log(input(1));
      await expect(
        h.withTransaction(async (tx) => {
          await service.log(input(2), { transaction: tx });
          throw new Error('business failure');
        }),
      ).rejects.toThrow('business failure');
      const committed = await h.withTransaction((tx) => service.log(input(3), { transaction: tx }));
      expect(committed.seq).toBe(2);
      expect(await service.verify()).toMatchObject({ ok: true, checked: 2 });
    });

    it('a retried eventId appends once', async (ctx) => {
      s.harness(ctx);
      const service = s.service(ctx);
      const once = input(1);
      const first = await service.log(once);
      expect(await service.log(once)).toEqual(first);
      expect((await service.log(input(2))).seq).toBe(2);
    });

    it('purge cuts a prefix, records it as the start, and the chain still verifies', async (ctx) => {
      const h = s.harness(ctx);
      const service = s.service(ctx);
      const entries = await logSeries(service, 6);
      // Entries 1..6 are at seconds 1..6; the cutoff is exclusive.
      expect(await service.purge({ before: at(4) })).toBe(3);
      expect(await h.readRaw(bySeq(entries, 3).id)).toBeNull();
      expect(await h.readRaw(bySeq(entries, 4).id)).toEqual(bySeq(entries, 4));
      // Entries 4..6 and the cut record (seq 7) remain.
      expect(await service.verify({ partition: 'default' })).toEqual({
        ok: true,
        partition: 'default',
        checked: 4,
        partitions: [{ partition: 'default', ok: true, checked: 4 }],
      });
      expect(await h.storage.chainHead?.('default')).toMatchObject({
        seq: 7,
        start: { seq: 3, hash: bySeq(entries, 3).hash },
      });
      expect((await service.log(input(7))).seq).toBe(8);
      expect(await service.verify()).toMatchObject({ ok: true, checked: 5 });
      // Tampering after the cut is still found.
      await h.tamper.deleteRaw(bySeq(entries, 4).id);
      expect(await service.verify()).toMatchObject({ ok: false, firstBroken: { seq: 4 } });
    });

    it('purge never makes a hole: an entry that must stay ends the cut prefix', async (ctx) => {
      s.harness(ctx);
      const service = s.service(ctx);
      const [old, keep] = [uid('old'), uid('keep')];
      await service.logMany([
        input(1, { tool: old }),
        input(2, { tool: keep }),
        input(3, { tool: old }),
        input(10, { tool: old }),
      ]);
      expect(await service.purge({ before: at(5), tool: old })).toBe(1);
      // Entries 2..4 and the cut record.
      expect(await service.verify()).toMatchObject({ ok: true, checked: 4 });
      expect(await service.purge({ before: at(5) })).toBe(2);
      // Entry 4 (at 10 s) and both cut records.
      expect(await service.verify()).toMatchObject({ ok: true, checked: 3 });
    });

    it('purge refuses to erase a tampered prefix', async (ctx) => {
      const h = s.harness(ctx);
      const service = s.service(ctx);
      const entries = await logSeries(service, 4);
      await h.tamper.updateRaw(bySeq(entries, 2).id, 'message', 'Rewritten');
      await expect(service.purge({ before: at(3) })).rejects.toBeInstanceOf(IntegrityError);
      expect(await service.verify()).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
    });

    it('purge refuses to cut from a start moved outside eventlog, and keeps the evidence', async (ctx) => {
      const h = s.harness(ctx);
      const service = s.service(ctx);
      const entries = await logSeries(service, 5);
      expect(await service.purge({ before: at(2) })).toBe(1);
      // Entries 2 and 3 deleted by hand, the start moved over them.
      await h.tamper.deleteRaw(bySeq(entries, 2).id);
      await h.tamper.deleteRaw(bySeq(entries, 3).id);
      await h.tamper.moveStart('default', 3, bySeq(entries, 3).hash as string);
      expect(await service.verify()).toMatchObject({ ok: false, firstBroken: { seq: 3 } });
      // A genuine purge would record the forged start as its previous one: refused.
      await expect(service.purge({ before: at(5) })).rejects.toBeInstanceOf(IntegrityError);
      expect(await h.readRaw(bySeq(entries, 4).id)).toEqual(bySeq(entries, 4));
      const result = await service.verify();
      expect(result).toMatchObject({ ok: false, firstBroken: { seq: 3 } });
      expect(result.firstBroken?.reason).toMatch(/moved outside eventlog/);
    });

    it('entries logged before integrity was on are reported as unchained until purged', async (ctx) => {
      const h = s.harness(ctx);
      const plain = new EventLogService(h.storage);
      const loose = await plain.log(input(1));
      expect(loose).toMatchObject({ chain: null, seq: null, prevHash: null, hash: null });
      await expect(plain.verify()).rejects.toBeInstanceOf(ConfigurationError);
      const service = s.service(ctx);
      await service.log(input(2));
      // Nothing vouches for a row outside the chain: verify says so, and which.
      expect(await service.verify()).toMatchObject({
        ok: false,
        checked: 1,
        partitions: [{ partition: 'default', unchained: { count: 1, firstId: loose.id } }],
      });
      expect(await service.purge({ before: at(3) })).toBe(2);
      expect(await h.readRaw(loose.id)).toBeNull();
      expect(await service.verify()).toMatchObject({ ok: true, checked: 1 });
    });
  });
}
