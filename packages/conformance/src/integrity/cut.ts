import { generateKeyPairSync } from 'node:crypto';
import { type Checkpoint, ValidationError } from '@eventlog/core';
import { GENESIS_HASH } from '@eventlog/core/storage';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { at } from '../storage/support';
import { bySeq, input, logSeries, useIntegrity } from './support';

/**
 * The purge cut is authenticated: a purge records it in the chain, a start the chain cannot
 * prove fails `verify`, and a checkpoint the start has moved past no longer verifies.
 */
export function cutTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('the purge cut', () => {
    const s = useIntegrity(options);

    it('purge appends a record of its cut to the chain, and verify proves the start by it', async (ctx) => {
      s.harness(ctx);
      const service = s.service(ctx);
      const entries = await logSeries(service, 4);
      expect(await service.purge({ before: at(3) })).toBe(2);
      const { results } = await service.list({ tool: 'eventlog', action: 'purge' });
      expect(results).toEqual([
        expect.objectContaining({
          chain: 'default',
          seq: 5,
          objectType: 'chain',
          objectId: 'default',
          changes: {
            oldValue: { start: { seq: 0, hash: GENESIS_HASH } },
            newValue: { start: { seq: 2, hash: bySeq(entries, 2).hash } },
          },
        }),
      ]);
      expect(await service.verify()).toMatchObject({ ok: true, checked: 3 });
    });

    it('deleting every row and moving the start fails verify, with the checkpoint and without', async (ctx) => {
      const h = s.harness(ctx);
      const service = s.service(ctx);
      const entries = await logSeries(service, 5);
      const checkpoint = await service.checkpoint();
      for (const e of entries) await h.tamper.deleteRaw(e.id);
      await h.tamper.moveStart('default', 5, bySeq(entries, 5).hash as string);
      const plain = await service.verify();
      expect(plain).toMatchObject({ ok: false, firstBroken: { seq: 5 } });
      expect(plain.firstBroken?.reason).toMatch(/start .*moved outside eventlog/);
      const withCheckpoint = await service.verify({ checkpoint });
      expect(withCheckpoint).toMatchObject({ ok: false, firstBroken: { seq: 5 } });
    });

    it('a cut record cannot be logged, so a prefix deleted by hand behind one fails verify', async (ctx) => {
      const h = s.harness(ctx);
      const service = s.service(ctx);
      const entries = await logSeries(service, 4);
      const start = { seq: 3, hash: bySeq(entries, 3).hash as string };
      // Exactly what a purge to seq 3 appends, offered through the public write paths.
      const forged = input(5, {
        tool: 'eventlog',
        action: 'purge',
        object: { type: 'chain', id: 'default' },
        changes: { oldValue: { start: { seq: 0, hash: GENESIS_HASH } }, newValue: { start } },
        actor: undefined,
        metadata: undefined,
        eventId: undefined,
      });
      const refusals = [
        await service.log(forged).then(
          () => null,
          (error: unknown) => error,
        ),
        await service.logMany([input(6), forged]).then(
          () => null,
          (error: unknown) => error,
        ),
      ];
      for (const e of entries.slice(0, 3)) await h.tamper.deleteRaw(e.id);
      await h.tamper.moveStart('default', start.seq, start.hash);
      const result = await service.verify();
      expect(result).toMatchObject({ ok: false, firstBroken: { partition: 'default', seq: 3 } });
      expect(result.firstBroken?.reason).toMatch(/start .*moved outside eventlog/);
      expect(refusals[0]).toBeInstanceOf(ValidationError);
      expect(refusals[0]).toMatchObject({ issues: [{ path: ['tool'] }] });
      expect(refusals[1]).toBeInstanceOf(ValidationError);
      expect(refusals[1]).toMatchObject({ issues: [{ path: [1, 'tool'] }] });
      // All or none: the valid input of the refused batch was not written either.
      expect((await service.list()).results.map((e) => e.seq)).toEqual([4]);
    });

    it('a checkpoint the start was purged past can no longer be verified against', async (ctx) => {
      s.harness(ctx);
      const service = s.service(ctx);
      await logSeries(service, 4);
      const checkpoint = await service.checkpoint();
      expect(checkpoint).toMatchObject({ seq: 4, start: { seq: 0, hash: GENESIS_HASH } });
      // Cuts exactly at the checkpoint: its entry is the recorded, proven start.
      expect(await service.purge({ before: at(5) })).toBe(4);
      expect(await service.verify({ checkpoint })).toMatchObject({ ok: true, checked: 1 });
      // Cuts past it (entries 1..4 went, then the cut record 5): the checkpoint is unreachable.
      expect(await service.purge({ before: new Date(Date.now() + 60_000) })).toBe(1);
      const result = await service.verify({ checkpoint });
      expect(result).toMatchObject({ ok: false, firstBroken: { seq: 4 } });
      expect(result.firstBroken?.reason).toMatch(/can no longer be reached/);
      const fresh = await service.checkpoint();
      expect(fresh).toMatchObject({ seq: 6, start: { seq: 5 } });
      expect(await service.verify({ checkpoint: fresh })).toMatchObject({ ok: true, checked: 1 });
    });

    it('a checkpoint signs the start it saw; one without a start still parses and verifies', async (ctx) => {
      s.harness(ctx);
      const service = s.service(ctx);
      const entries = await logSeries(service, 3);
      await service.purge({ before: at(2) });
      const keys = generateKeyPairSync('ed25519');
      const checkpoint = await service.checkpoint({ privateKey: keys.privateKey });
      expect(checkpoint.start).toEqual({ seq: 1, hash: bySeq(entries, 1).hash });
      const signed = (cp: Checkpoint) =>
        service.verify({ checkpoint: cp, publicKey: keys.publicKey });
      expect(await signed(checkpoint)).toMatchObject({ ok: true });
      const moved = { ...checkpoint, start: { seq: 0, hash: GENESIS_HASH } };
      expect(await signed(moved)).toMatchObject({
        ok: false,
        firstBroken: { reason: expect.stringMatching(/signature/) },
      });
      const { start: _start, signature: _sig, ...legacy } = checkpoint;
      expect(await service.verify({ checkpoint: legacy })).toMatchObject({ ok: true, checked: 3 });
    });
  });
}
