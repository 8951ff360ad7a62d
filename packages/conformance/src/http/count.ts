import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, type RunningApp, SEEDED, startApp } from './fixture';
import type { HttpContractOptions } from './types';

/** The service's `countLimit` in this file: below the seeded entries, above each filter's. */
const LIMIT = 20;

/**
 * `with_count=true` counts up to the service's `countLimit` and marks a count that stopped there
 * (`countExact: false`, `count_exact: false` in the seed format); `with_count=exact` counts all.
 */
export function countContract(options: HttpContractOptions, base: string): void {
  describe('capped count', () => {
    let app: RunningApp;
    let seed: RunningApp;
    beforeAll(async () => {
      app = await startApp(options, base, { countLimit: LIMIT });
      seed = await startApp(options, base, {
        countLimit: LIMIT,
        router: { format: 'seed' },
        objectLog: { format: 'seed' },
      });
    });
    afterAll(async () => {
      await app.close();
      await seed.close();
    });

    const list = (qs: string, on = app) => on.http.get(`${on.base}/?${qs}`).set(ROLE, 'staff');

    it('with_count=true stops at the limit and says countExact: false', async () => {
      const res = await list('with_count=true&limit=3').expect(200);
      expect(res.body).toMatchObject({ count: LIMIT, countExact: false });
      expect(res.body.results).toHaveLength(3);
    });

    it('with_count=true is exact under the limit, filters applied', async () => {
      // Items with id 0 are seeded entries 0, 14, 28, 42, 56; "Needle" is every sixth (11).
      const item = await list('object_type=Item&object_id=0&with_count=true').expect(200);
      expect(item.body).toMatchObject({ count: 5, countExact: true });
      const needle = await list('search=needle&with_count=true&limit=1').expect(200);
      expect(needle.body).toMatchObject({ count: 11, countExact: true });
      const object = await app.http.get('/items/0/log?with_count=true').set(ROLE, 'staff');
      expect(object.body).toMatchObject({ count: 5, countExact: true });
    });

    it('with_count=exact counts every match; other values are a 400 naming with_count', async () => {
      const res = await list('with_count=exact&limit=1').expect(200);
      expect(res.body).toMatchObject({ count: SEEDED, countExact: true });
      for (const bad of ['approx', 'EXACT', '20']) {
        const refused = await list(`with_count=${bad}`).expect(400);
        expect(refused.body.error.issues[0].param).toBe('with_count');
      }
    });

    it('page style links the next page past the limit, and not past the last entry', async () => {
      const third = await list('page_size=10&page=3').expect(200);
      expect(third.body).toMatchObject({ count: LIMIT, countExact: false });
      expect(third.body.next).toMatch(/page=4/);
      const last = await list('page_size=10&page=7').expect(200);
      expect(last.body.results).toHaveLength(SEEDED - 60);
      expect(last.body.next).toBeNull();
    });

    it('the seed format adds count_exact: false only to a count that stopped', async () => {
      const capped = await list('page_size=5', seed).expect(200);
      expect(Object.keys(capped.body)).toEqual(['count', 'count_exact', 'next', 'results']);
      expect(capped.body).toMatchObject({ count: LIMIT, count_exact: false });
      const exact = await list('object_type=Item&object_id=0', seed).expect(200);
      expect(Object.keys(exact.body)).toEqual(['count', 'results']);
      expect(exact.body.count).toBe(5);
    });

    it('the OpenAPI document marks the count and offers with_count=exact', async () => {
      const res = await app.http.get(`${app.base}/openapi.json`).set(ROLE, 'staff').expect(200);
      const page = res.body.components.schemas.EventLogPage.properties;
      expect(page.countExact.type).toBe('boolean');
      expect(page.count.description).toMatch(/lower bound/);
      const list = res.body.paths[`${base}/`].get.parameters;
      const withCount = list.find((p: { name: string }) => p.name === 'with_count');
      expect(withCount.schema.enum).toEqual(['true', 'false', 'exact']);
      const doc = await seed.http.get(`${seed.base}/openapi.json`).set(ROLE, 'staff').expect(200);
      const seedPage = doc.body.components.schemas.EventLogPage.properties;
      expect(seedPage.count_exact).toMatchObject({ enum: [false] });
    });
  });
}
