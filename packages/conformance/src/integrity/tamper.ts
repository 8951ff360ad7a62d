import { entryHash, GENESIS_HASH } from '@eventlog/core/storage';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { at, uid } from '../storage/support';
import { bySeq, logSeries, useIntegrity } from './support';

/** The tamper suite: each edit an attacker with database access could make is found, at its seq. */
export function tamperTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('tampering', () => {
    const s = useIntegrity(options);

    it('an untouched chain verifies, numbered from 1 without gaps and linked hash to hash', async (ctx) => {
      const h = s.harness(ctx);
      const entries = await logSeries(s.service(ctx), 6);
      expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(entries.map((e) => e.chain)).toEqual(Array(6).fill('default'));
      expect(entries[0]?.prevHash).toBe(GENESIS_HASH);
      for (let i = 1; i < entries.length; i++) {
        expect(entries[i]?.prevHash).toBe(entries[i - 1]?.hash);
      }
      for (const e of entries) {
        expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(await h.readRaw(e.id)).toEqual(e);
      }
      expect(await s.service(ctx).verify()).toEqual({
        ok: true,
        partition: null,
        checked: 6,
        partitions: [{ partition: 'default', ok: true, checked: 6 }],
      });
      // Paging does not change the answer.
      expect(await s.service(ctx).verify({ pageSize: 2 })).toMatchObject({ ok: true, checked: 6 });
      expect(await s.service(ctx).verify({ partition: 'default', from: 3, to: 5 })).toMatchObject({
        ok: true,
        checked: 3,
      });
    });

    it("a row's message updated is found at its seq", async (ctx) => {
      const h = s.harness(ctx);
      const entries = await logSeries(s.service(ctx), 5);
      await h.tamper.updateRaw(bySeq(entries, 3).id, 'message', 'Nothing to see here');
      const result = await s.service(ctx).verify();
      expect(result).toMatchObject({ ok: false, checked: 2, firstBroken: { seq: 3 } });
      expect(result.firstBroken?.reason).toMatch(/does not match its hash/);
    });

    it('a changed diff is found at its seq', async (ctx) => {
      const h = s.harness(ctx);
      const entries = await logSeries(s.service(ctx), 5);
      await h.tamper.updateRaw(bySeq(entries, 2).id, 'changes', {
        oldValue: { name: 'a', n: 2 },
        newValue: { name: 'b', n: 999 },
      });
      expect(await s.service(ctx).verify()).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
    });

    it('a deleted middle row is found as a gap at its seq', async (ctx) => {
      const h = s.harness(ctx);
      const entries = await logSeries(s.service(ctx), 5);
      await h.tamper.deleteRaw(bySeq(entries, 3).id);
      const result = await s.service(ctx).verify();
      expect(result).toMatchObject({ ok: false, checked: 2, firstBroken: { seq: 3 } });
      expect(result.firstBroken?.reason).toMatch(/missing/);
    });

    it('a deleted tail is found against the head row', async (ctx) => {
      const h = s.harness(ctx);
      const entries = await logSeries(s.service(ctx), 5);
      await h.tamper.deleteRaw(bySeq(entries, 5).id);
      await h.tamper.deleteRaw(bySeq(entries, 4).id);
      const result = await s.service(ctx).verify();
      expect(result).toMatchObject({ ok: false, checked: 3, firstBroken: { seq: 4 } });
      expect(result.firstBroken?.reason).toMatch(/tail was deleted: the head row/);
    });

    it('exactly one deleted tail row, with the head row intact, is found against the head row', async (ctx) => {
      const h = s.harness(ctx);
      const entries = await logSeries(s.service(ctx), 5);
      await h.tamper.deleteRaw(bySeq(entries, 5).id);
      const result = await s.service(ctx).verify();
      expect(result).toMatchObject({ ok: false, checked: 4, firstBroken: { seq: 5 } });
      expect(result.firstBroken?.reason).toMatch(/tail was deleted: the head row records seq 5/);
    });

    it('rows beyond the head row are found as added outside eventlog', async (ctx) => {
      const h = s.harness(ctx);
      const entries = await logSeries(s.service(ctx), 5);
      await h.tamper.rewindHead('default', 4, bySeq(entries, 4).hash as string);
      const result = await s.service(ctx).verify();
      expect(result).toMatchObject({ ok: false, checked: 5, firstBroken: { seq: 5 } });
      expect(result.firstBroken?.reason).toMatch(/after the head row's seq 4 were added outside/);
    });

    it('a duplicated seq is refused by the storage or found at its seq', async (ctx) => {
      const h = s.harness(ctx);
      const entries = await logSeries(s.service(ctx), 4);
      const { id: _id, ...copy } = bySeq(entries, 3);
      const stored = await h.tamper.insertRaw({ ...copy, eventId: uid('evt') }).then(
        () => true,
        () => false,
      );
      const result = await s.service(ctx).verify();
      if (!stored) {
        // A unique (chain, seq) index refused the copy: the chain is untouched.
        expect(result).toMatchObject({ ok: true, checked: 4 });
      } else {
        expect(result).toMatchObject({ ok: false, checked: 3, firstBroken: { seq: 3 } });
        expect(result.firstBroken?.reason).toMatch(/entry 3 appears twice/);
      }
    });

    it('a checkpoint that disagrees with the purged start is found at the start', async (ctx) => {
      s.harness(ctx);
      const service = s.service(ctx);
      await logSeries(service, 3);
      const checkpoint = await service.checkpoint();
      expect(await service.purge({ before: at(4) })).toBe(3);
      expect(await service.verify({ checkpoint })).toMatchObject({ ok: true });
      const forged = { ...checkpoint, hash: 'a'.repeat(64) };
      const result = await service.verify({ checkpoint: forged });
      expect(result).toMatchObject({ ok: false, firstBroken: { seq: 3 } });
      expect(result.firstBroken?.reason).toMatch(
        /start of the partition does not match the checkpoint/,
      );
    });

    it('a deleted tail with the head row rewound too is found only against a checkpoint', async (ctx) => {
      const h = s.harness(ctx);
      const entries = await logSeries(s.service(ctx), 5);
      const checkpoint = await s.service(ctx).checkpoint();
      expect(checkpoint).toMatchObject({
        partition: 'default',
        seq: 5,
        hash: bySeq(entries, 5).hash,
      });
      await h.tamper.deleteRaw(bySeq(entries, 5).id);
      await h.tamper.rewindHead('default', 4, bySeq(entries, 4).hash as string);
      // Without the checkpoint the shortened chain is self-consistent: this is why checkpoints exist.
      expect(await s.service(ctx).verify()).toMatchObject({ ok: true, checked: 4 });
      const result = await s.service(ctx).verify({ checkpoint });
      expect(result).toMatchObject({ ok: false, checked: 4, firstBroken: { seq: 5 } });
      expect(result.firstBroken?.reason).toMatch(/tail was deleted: the checkpoint/);
    });

    it('two rows reordered are found at the first of them', async (ctx) => {
      const h = s.harness(ctx);
      const entries = await logSeries(s.service(ctx), 5);
      await h.tamper.swapRaw(bySeq(entries, 2).id, bySeq(entries, 3).id);
      expect(await s.service(ctx).verify()).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
    });

    it('a forged hash is found at its seq, even when recomputed over altered content', async (ctx) => {
      const h = s.harness(ctx);
      const entries = await logSeries(s.service(ctx), 5);
      const third = bySeq(entries, 3);
      await h.tamper.updateRaw(third.id, 'hash', 'f'.repeat(64));
      expect(await s.service(ctx).verify()).toMatchObject({ ok: false, firstBroken: { seq: 3 } });

      // The attacker knows the algorithm: alters entry 3 and gives it a valid hash of its own.
      const altered = { ...third, message: 'Forged', chain: 'default' };
      await h.tamper.updateRaw(third.id, 'message', 'Forged');
      await h.tamper.updateRaw(third.id, 'hash', entryHash(third.prevHash as string, 3, altered));
      const result = await s.service(ctx).verify();
      expect(result).toMatchObject({ ok: false, checked: 3, firstBroken: { seq: 3 } });
      expect(result.firstBroken?.reason).toMatch(/entry 3 was rewritten/);
    });

    it('a forged last entry with a recomputed hash is found against the head row', async (ctx) => {
      const h = s.harness(ctx);
      const entries = await logSeries(s.service(ctx), 3);
      const last = bySeq(entries, 3);
      await h.tamper.updateRaw(last.id, 'message', 'Forged');
      const forged = entryHash(last.prevHash as string, 3, {
        ...last,
        message: 'Forged',
        chain: 'default',
      });
      await h.tamper.updateRaw(last.id, 'hash', forged);
      expect(await s.service(ctx).verify()).toMatchObject({ ok: false, firstBroken: { seq: 3 } });
    });
  });
}
