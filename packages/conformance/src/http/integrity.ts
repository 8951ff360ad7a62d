import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, type RunningApp, startApp } from './fixture';
import type { ContractNative, HttpContractOptions } from './types';

/** Header the suite's integrity `authorize` reads. */
const INTEGRITY = 'x-test-integrity';

/**
 * `GET /integrity`: the integrity status, served only when the router's `integrity` option is
 * given, behind both `authorize`s.
 */
export function integrityContract(options: HttpContractOptions, base: string): void {
  describe('integrity status route', () => {
    let app: RunningApp;
    let plain: RunningApp;
    beforeAll(async () => {
      app = await startApp(options, base, {
        integrity: { partition: 'tool' },
        router: {
          integrity: { authorize: (req: ContractNative) => req.headers[INTEGRITY] === 'yes' },
        },
      });
      plain = await startApp(options, base);
      const common = { template: 'chained', action: 'update' };
      for (let i = 0; i < 3; i++) await app.service.log({ ...common, tool: 'alpha' });
      await app.service.log({ ...common, tool: 'beta' });
      await app.service.checkpoint({ partition: 'alpha' });
      await app.service.log({ ...common, tool: 'alpha' });
    });
    afterAll(async () => {
      await app?.close();
      await plain?.close();
    });

    const status = (on: RunningApp, qs = '') => on.http.get(`${on.base}/integrity${qs}`);

    it('answers each partition with its latest checkpoint and the chain verified from it', async () => {
      const res = await status(app).set(ROLE, 'staff').set(INTEGRITY, 'yes').expect(200);
      const checkpointAt = (await app.service.integrityStatus()).partitions[0]?.checkpoint?.at;
      expect(res.body).toEqual({
        ok: true,
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        partitions: [
          {
            partition: 'alpha',
            ok: true,
            headSeq: 4,
            checkpoint: { seq: 3, at: checkpointAt?.toISOString() },
            from: 3,
            checked: 2,
          },
          { partition: 'beta', ok: true, headSeq: 1, checkpoint: null, from: 1, checked: 1 },
        ],
      });
      const doc = await app.http.get(`${base}/openapi.json`).set(ROLE, 'staff').expect(200);
      expect(doc.body.paths[`${base}/integrity`]?.get.operationId).toBe('getEventLogIntegrity');
      const bad = await status(app, '?partition=alpha').set(ROLE, 'staff').set(INTEGRITY, 'yes');
      expect(bad.status).toBe(400);
      expect(bad.body.error.issues[0].param).toBe('partition');
    });

    it('403 unless both authorize accept; absent when the router is not asked for it', async () => {
      await status(app).set(ROLE, 'staff').expect(403);
      await status(app).set(INTEGRITY, 'yes').expect(403);
      // Without the option there is no such route: `/integrity` is an entry id, and none has it.
      await status(plain).set(ROLE, 'staff').set(INTEGRITY, 'yes').expect(404);
      const doc = await plain.http.get(`${base}/openapi.json`).set(ROLE, 'staff').expect(200);
      expect(doc.body.paths[`${base}/integrity`]).toBeUndefined();
    });
  });
}
