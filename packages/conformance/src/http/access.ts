import { ConfigurationError, EventLogService, memoryStorage } from '@eventlog/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsOf, ROLE, type RunningApp, staffOnly, startApp } from './fixture';
import type { ContractApp, ContractNative, HttpContractOptions } from './types';

const TENANT = 'x-test-tenant';

/** 403 from `authorize`, required `authorize`, and scopes the query string cannot widen. */
export function accessContract(options: HttpContractOptions, base: string): void {
  describe('access', () => {
    it('refuses to mount without authorize (ConfigurationError), unless public', async () => {
      const service = new EventLogService(memoryStorage());
      const app = (
        router: Partial<ContractApp['router']>,
        objectLog: Partial<ContractApp['router']>,
      ) => ({
        service,
        basePath: base,
        router: router as ContractApp['router'],
        objectLog: {
          resourcePath: '/items',
          objectType: 'Item',
          param: 'itemId',
          access: objectLog as ContractApp['router'],
        },
        context: { actor: () => undefined },
        probe: async () => null,
      });
      // A driver may build its app asynchronously (Fastify's `ready()`, Nest's `init()`).
      const mount = async (router: Partial<ContractApp['router']>, objectLog: typeof router) =>
        options.mount(app(router, objectLog));
      await expect(mount({}, staffOnly)).rejects.toThrow(ConfigurationError);
      await expect(mount(staffOnly, {})).rejects.toThrow(ConfigurationError);
      await expect(mount({ authorize: true as never }, staffOnly)).rejects.toThrow(
        ConfigurationError,
      );
      await expect(mount({ authorize: 'public' }, { authorize: 'public' })).resolves.toBeTypeOf(
        'function',
      );
    });

    describe('authorize and scope', () => {
      let app: RunningApp;
      beforeAll(async () => {
        app = await startApp(options, base, {
          router: {
            authorize: async (req: ContractNative) =>
              req.headers[ROLE] === 'staff' || req.headers[TENANT] !== undefined,
            // A tenant sees one tool; staff see everything.
            scope: (req: ContractNative) =>
              req.headers[TENANT] ? { tool: String(req.headers[TENANT]) } : null,
          },
          objectLog: {
            authorize: (req: ContractNative) =>
              req.headers[ROLE] === 'staff' && req.params.itemId !== '6',
            scope: (req: ContractNative) =>
              req.headers[TENANT] ? { tool: String(req.headers[TENANT]) } : null,
          },
        });
      });
      afterAll(() => app.close());

      it('403 with an error body when authorize says no, on every route', async () => {
        const one = app.entries[0]?.id as string;
        for (const url of [
          `${app.base}/`,
          `${app.base}/${one}`,
          `${app.base}/?tool[$ne]=x`,
          '/items/2/log',
        ]) {
          const res = await app.http.get(url).expect(403);
          expect(res.body.error.code).toBe('FORBIDDEN');
        }
      });

      it('per-object route: 403 for an object authorize refuses', async () => {
        const res = await app.http.get('/items/6/log').set(ROLE, 'staff').expect(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      });

      it('per-object route lists only that object', async () => {
        const res = await app.http
          .get('/items/2/log?limit=500&with_count=true')
          .set(ROLE, 'staff')
          .expect(200);
        const expected = idsOf(
          app.entries.filter((e) => e.objectType === 'Item' && e.objectId === '2'),
        );
        expect(expected.length).toBeGreaterThan(0);
        expect(idsOf(res.body.results)).toEqual(expected);
        expect(res.body.count).toBe(expected.length);
      });

      it('a scope is forced onto every query', async () => {
        const res = await app.http.get(`${app.base}/?limit=500`).set(TENANT, 'beta').expect(200);
        expect(idsOf(res.body.results)).toEqual(
          idsOf(app.entries.filter((e) => e.tool === 'beta')),
        );
      });

      it('the query string narrows a scope but never widens it (empty page)', async () => {
        const narrowed = await app.http
          .get(`${app.base}/?tool=beta&action=create&limit=500`)
          .set(TENANT, 'beta')
          .expect(200);
        expect(idsOf(narrowed.body.results)).toEqual(
          idsOf(app.entries.filter((e) => e.tool === 'beta' && e.action === 'create')),
        );
        // The page is the intersection of the asked tools with the scope, exactly.
        const beta = idsOf(app.entries.filter((e) => e.tool === 'beta'));
        expect(beta.length).toBeGreaterThan(0);
        for (const [qs, expected] of [
          ['tool=alpha', []],
          ['tool=alpha&tool=gamma', []],
          ['tool=beta&tool=alpha&with_count=true', beta],
        ] as const) {
          const res = await app.http
            .get(`${app.base}/?${qs}&limit=500`)
            .set(TENANT, 'beta')
            .expect(200);
          expect(idsOf(res.body.results)).toEqual(expected);
        }
        const outside = await app.http
          .get(`${app.base}/?tool=alpha&with_count=true`)
          .set(TENANT, 'beta')
          .expect(200);
        expect(outside.body).toEqual({
          count: 0,
          countExact: true,
          next: null,
          previous: null,
          results: [],
        });
        const objectOutside = await app.http
          .get('/items/2/log?tool=alpha')
          .set(TENANT, 'beta')
          .set(ROLE, 'staff')
          .expect(200);
        expect(objectOutside.body.results).toEqual([]);
      });

      it('GET /:id of an entry outside the scope is 404', async () => {
        const alpha = app.entries.find((e) => e.tool === 'alpha')?.id as string;
        const beta = app.entries.find((e) => e.tool === 'beta')?.id as string;
        await app.http.get(`${app.base}/${alpha}`).set(TENANT, 'beta').expect(404);
        const res = await app.http.get(`${app.base}/${beta}`).set(TENANT, 'beta').expect(200);
        expect(res.body.id).toBe(beta);
      });
    });
  });
}
