import { generateKeyPairSync } from 'node:crypto';
import { ValidationError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { logSeries, useIntegrity } from './support';

/**
 * Checkpoints. The replay rule: the log records the latest checkpoint it issued, and `verify`
 * refuses a presented checkpoint older than that one, reporting the presented checkpoint's seq.
 */
export function checkpointTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('checkpoints', () => {
    const s = useIntegrity(options);
    const keys = generateKeyPairSync('ed25519');
    const other = generateKeyPairSync('ed25519');

    it('a signed checkpoint verifies with its public key and not with another', async (ctx) => {
      s.harness(ctx);
      await logSeries(s.service(ctx), 3);
      const checkpoint = await s.service(ctx).checkpoint({ privateKey: keys.privateKey });
      expect(checkpoint).toMatchObject({ partition: 'default', seq: 3 });
      expect(checkpoint.signature).toEqual(expect.any(String));
      const verify = (publicKey = keys.publicKey) =>
        s.service(ctx).verify({ checkpoint, publicKey });
      expect(await verify()).toEqual({
        ok: true,
        partition: 'default',
        checked: 3,
        partitions: [{ partition: 'default', ok: true, checked: 3 }],
      });
      expect(await verify(other.publicKey)).toMatchObject({ ok: false, firstBroken: { seq: 3 } });
      // Through JSON, as a checkpoint kept in a file travels.
      const fromFile = JSON.parse(JSON.stringify(checkpoint));
      expect(
        await s.service(ctx).verify({ checkpoint: fromFile, publicKey: keys.publicKey }),
      ).toMatchObject({ ok: true });
      const moved = { ...fromFile, seq: 2 };
      expect(
        await s.service(ctx).verify({ checkpoint: moved, publicKey: keys.publicKey }),
      ).toMatchObject({
        ok: false,
        firstBroken: { seq: 2, reason: expect.stringMatching(/signature/) },
      });
    });

    it('a replayed old checkpoint is refused at its seq', async (ctx) => {
      s.harness(ctx);
      const service = s.service(ctx);
      await logSeries(service, 3);
      const old = await service.checkpoint({ privateKey: keys.privateKey });
      await logSeries(service, 2, { tool: 'later' });
      const latest = await service.checkpoint({ privateKey: keys.privateKey });
      expect(latest.seq).toBe(5);
      const replayed = await service.verify({ checkpoint: old, publicKey: keys.publicKey });
      expect(replayed).toMatchObject({ ok: false, firstBroken: { seq: 3 } });
      expect(replayed.firstBroken?.reason).toMatch(/stale .*later checkpoint at seq 5/);
      expect(await service.verify({ checkpoint: latest, publicKey: keys.publicKey })).toMatchObject(
        {
          ok: true,
          checked: 5,
        },
      );
    });

    it('a checkpoint whose hash the chain no longer holds is found at its seq', async (ctx) => {
      s.harness(ctx);
      await logSeries(s.service(ctx), 4);
      const checkpoint = await s.service(ctx).checkpoint();
      const wrong = { ...checkpoint, hash: 'a'.repeat(64) };
      expect(await s.service(ctx).verify({ checkpoint: wrong })).toMatchObject({
        ok: false,
        firstBroken: { seq: 4 },
      });
      await expect(s.service(ctx).verify({ checkpoint, from: 2 })).rejects.toBeInstanceOf(
        ValidationError,
      );
    });
  });
}
