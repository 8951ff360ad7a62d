import { ValidationError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { at, uid } from '../storage/support';
import { bySeq, input, logSeries, useIntegrity } from './support';

/**
 * What `verify` must not pass over: partitions known from their entries as well as their heads,
 * a partition that does not exist, rows stored outside a chained partition, and a stored
 * timestamp that is not the one eventlog wrote.
 */
export function findingTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('findings', () => {
    const s = useIntegrity(options);

    it('verify() without a partition verifies every partition and says how many it checked', async (ctx) => {
      s.harness(ctx);
      const service = s.service(ctx, { partition: 'tool' });
      const [a, b] = [uid('a'), uid('b')].sort() as [string, string];
      await service.logMany([input(1, { tool: a }), input(2, { tool: b }), input(3, { tool: a })]);
      const result = await service.verify();
      expect(result).toEqual({
        ok: true,
        partition: null,
        checked: 3,
        partitions: [
          { partition: a, ok: true, checked: 2 },
          { partition: b, ok: true, checked: 1 },
        ],
      });
      // A partitioned log has no single chain to checkpoint by default.
      await expect(service.checkpoint()).rejects.toMatchObject({
        name: 'ValidationError',
        issues: [{ path: ['partition'] }],
      });
    });

    it('a partition whose head row was deleted is found from its entries', async (ctx) => {
      const h = s.harness(ctx);
      const service = s.service(ctx);
      await logSeries(service, 3);
      await h.tamper.deleteHead('default');
      expect(await service.partitions()).toEqual(['default']);
      const result = await service.verify();
      expect(result).toMatchObject({
        ok: false,
        partition: null,
        partitions: [{ partition: 'default', ok: false, firstBroken: { seq: 1 } }],
      });
      expect(result.firstBroken).toMatchObject({ partition: 'default', seq: 1 });
      expect(result.firstBroken?.reason).toMatch(/no head row/);
      expect(await service.verify({ partition: 'default' })).toMatchObject({ ok: false });
    });

    it('a partition that does not exist is not verified as ok, nor checkpointed', async (ctx) => {
      s.harness(ctx);
      const service = s.service(ctx);
      await logSeries(service, 2);
      const typo = uid('typo');
      const result = await service.verify({ partition: typo });
      expect(result).toMatchObject({ ok: false, partition: typo, checked: 0 });
      expect(result.firstBroken?.reason).toMatch(/does not exist/);
      const refused = service.checkpoint({ partition: typo });
      await expect(refused).rejects.toBeInstanceOf(ValidationError);
      await expect(refused).rejects.toMatchObject({ issues: [{ path: ['partition'] }] });
    });

    it('rows stored with no chain in a chained partition are reported, with a count and the first id', async (ctx) => {
      const h = s.harness(ctx);
      const service = s.service(ctx, { partition: 'tool' });
      const [chained, other] = [uid('chained'), uid('other')];
      const entries = await logSeries(service, 3, { tool: chained });
      const { id: _id, ...copy } = bySeq(entries, 2);
      const unchained = { chain: null, seq: null, prevHash: null, hash: null };
      const forged = await h.tamper.insertRaw({ ...copy, ...unchained, eventId: uid('evt') });
      await h.tamper.insertRaw({ ...copy, ...unchained, eventId: uid('evt'), message: 'second' });
      // An unchained row of a tool that has no chain is no finding.
      await h.tamper.insertRaw({ ...copy, ...unchained, eventId: null, tool: other });
      const result = await service.verify();
      expect(result).toMatchObject({ ok: false, checked: 3 });
      expect(result.partitions).toEqual([
        expect.objectContaining({
          partition: chained,
          ok: false,
          checked: 3,
          unchained: { count: 2, firstId: forged },
        }),
      ]);
      expect(result.firstBroken?.reason).toMatch(/2 rows .*outside the chain/);
      expect(await service.verify({ partition: chained })).toMatchObject({ ok: false });
    });

    it("a chained row's timestamp stored with other microseconds is found at its seq", async (ctx) => {
      const h = s.harness(ctx);
      const service = s.service(ctx);
      const entries = await logSeries(service, 4);
      await h.tamper.retimeRaw(bySeq(entries, 2).id, '2024-01-01T00:00:02.000123Z');
      const result = await service.verify();
      expect(result).toMatchObject({ ok: false, checked: 1, firstBroken: { seq: 2 } });
      expect(result.firstBroken?.reason).toMatch(/timestamp/);
    });

    it('a chained timestamp spelled another way is either found or still stored exactly', async (ctx) => {
      const h = s.harness(ctx);
      const service = s.service(ctx);
      const entries = await logSeries(service, 4);
      const victim = bySeq(entries, 3);
      await h.tamper.retimeRaw(victim.id, '2024-01-01T00:00:03.000000+00:00');
      const result = await service.verify();
      if (result.ok) {
        // The database normalised the literal to what eventlog writes: nothing changed.
        const page = await service.list({ from: at(3), to: at(4) });
        expect(page.results.map((e) => e.id)).toEqual([victim.id]);
      } else {
        expect(result).toMatchObject({ checked: 2, firstBroken: { seq: 3 } });
      }
    });
  });
}
