import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { bySeq, logSeries, useIntegrity } from './support';

/**
 * `integrityStatus()`: per partition, the latest checkpoint and the chain verified from it to the
 * head, so its cost follows what was appended since the checkpoint.
 */
export function statusTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('integrity status', () => {
    const s = useIntegrity(options);

    it('verifies each partition from its latest checkpoint (or its start) to the head', async (ctx) => {
      s.harness(ctx);
      const service = s.service(ctx, { partition: 'tool' });
      expect(await service.integrityStatus()).toEqual({
        ok: true,
        at: expect.any(Date),
        partitions: [],
      });
      await logSeries(service, 3, { tool: 'alpha' });
      await logSeries(service, 2, { tool: 'beta' });
      const checkpoint = await service.checkpoint({ partition: 'alpha' });
      await logSeries(service, 2, { tool: 'alpha' });
      const status = await service.integrityStatus();
      expect(status).toEqual({
        ok: true,
        at: expect.any(Date),
        partitions: [
          {
            partition: 'alpha',
            ok: true,
            headSeq: 5,
            checkpoint: { seq: 3, at: checkpoint.at },
            from: 3,
            checked: 3,
          },
          { partition: 'beta', ok: true, headSeq: 2, checkpoint: null, from: 1, checked: 2 },
        ],
      });
    });

    it('finds an entry altered or deleted since the checkpoint, and leaves older ones to verify()', async (ctx) => {
      const h = s.harness(ctx);
      const service = s.service(ctx);
      const entries = await logSeries(service, 3);
      await service.checkpoint();
      entries.push(...(await logSeries(service, 3, { tool: 'later' })));

      await h.tamper.updateRaw(bySeq(entries, 2).id, 'message', 'before the checkpoint');
      expect(await service.integrityStatus()).toMatchObject({
        ok: true,
        partitions: [{ partition: 'default', ok: true, from: 3, checked: 4 }],
      });
      expect(await service.verify()).toMatchObject({ ok: false, firstBroken: { seq: 2 } });

      await h.tamper.updateRaw(bySeq(entries, 3).id, 'message', 'the checkpointed entry');
      expect(await service.integrityStatus()).toMatchObject({
        ok: false,
        partitions: [{ ok: false, checked: 0, firstBroken: { seq: 3 } }],
      });

      await h.tamper.updateRaw(bySeq(entries, 3).id, 'message', bySeq(entries, 3).message);
      await h.tamper.deleteRaw(bySeq(entries, 6).id);
      const status = await service.integrityStatus();
      expect(status).toMatchObject({ ok: false, partitions: [{ headSeq: 6, checked: 3 }] });
      expect(status.partitions[0]?.firstBroken?.reason).toMatch(/tail was deleted/);
    });
  });
}
