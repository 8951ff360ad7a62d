import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, type RunningApp, startApp } from './fixture';
import type { HttpContractOptions } from './types';

/** `GET <base>/openapi.json`: the document of the mounted routes, behind the router's `authorize`. */
export function openApiContract(options: HttpContractOptions, base: string): void {
  describe('OpenAPI document', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(options, base, {
        router: {
          openApi: {
            title: 'Items API',
            objectLogs: [{ path: '/items', objectType: 'Item', param: 'itemId' }],
          },
        },
      });
    });
    afterAll(() => app.close());

    it('serves the document of the routes where the router is mounted', async () => {
      const res = await app.http.get(`${app.base}/openapi.json`).set(ROLE, 'staff').expect(200);
      expect(res.body).toMatchObject({ openapi: '3.1.0', info: { title: 'Items API' } });
      expect(Object.keys(res.body.paths).sort()).toEqual(
        [
          `${base}/`,
          `${base}/export`,
          `${base}/{id}`,
          '/items/{itemId}/log',
          '/items/{itemId}/log/state',
        ].sort(),
      );
      // The list route still answers beside it, and `openapi.json` is no entry id.
      await app.http.get(`${app.base}/`).set(ROLE, 'staff').expect(200);
    });

    it('is refused (403) when authorize says no', async () => {
      const res = await app.http.get(`${app.base}/openapi.json`).expect(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    });
  });
}
