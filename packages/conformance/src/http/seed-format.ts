import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, type RunningApp, SEEDED, startApp } from './fixture';
import type { HttpContractOptions } from './types';

const SEED_KEYS = [
  'id',
  'actor',
  'message',
  'timestamp',
  'object_id',
  'tool',
  'action',
  'changes',
  'object_type',
];

/** `format: 'seed'`: the Django app's field names and envelope over a real storage. */
export function seedFormatContract(options: HttpContractOptions, base: string): void {
  describe('seed format', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(options, base, {
        router: { format: 'seed' },
        objectLog: { format: 'seed' },
      });
    });
    afterAll(() => app.close());

    it('renders entries with the seed’s keys, in its order, and always counts', async () => {
      const res = await app.http.get(`${app.base}/?page_size=100`).set(ROLE, 'staff').expect(200);
      expect(Object.keys(res.body)).toEqual(['count', 'results']);
      expect(res.body.count).toBe(SEEDED);
      expect(res.body.results).toHaveLength(SEEDED);
      for (const row of res.body.results) {
        expect(Object.keys(row)).toEqual(SEED_KEYS);
        const stored = app.entries.find((e) => String(e.id) === String(row.id));
        expect(stored).toBeDefined();
        if (!stored) continue;
        expect(row.actor).toBe(stored.actorLabel);
        expect(row.timestamp).toBe(stored.timestamp.toISOString().replace(/Z$/, '000Z'));
        expect(row.changes).toEqual(
          stored.changes && {
            new_value: stored.changes.newValue,
            old_value: stored.changes.oldValue,
          },
        );
        expect(String(row.object_id)).toBe(stored.objectId);
      }
    });

    it('the per-object log is the seed mixin’s response; next appears only when there is more', async () => {
      const all = await app.http.get('/items/2/log').set(ROLE, 'staff').expect(200);
      expect(Object.keys(all.body)).toEqual(['count', 'results']);
      expect(all.body.results.length).toBe(all.body.count);
      const paged = await app.http.get('/items/2/log?limit=1').set(ROLE, 'staff').expect(200);
      expect(Object.keys(paged.body)).toEqual(['count', 'next', 'results']);
      expect(paged.body.next).toMatch(/^\/items\/2\/log\?limit=1&cursor=/);
    });
  });
}
