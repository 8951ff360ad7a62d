import type { EventLog } from '@eventlog/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsOf, ordered, ROLE, type RunningApp, SEEDED, startApp } from './fixture';
import type { HttpContractOptions } from './types';

type Row = { id: string; timestamp: string; tool: string };

/** Every list parameter against the seeded entries, and the single-entry route. */
export function listContract(options: HttpContractOptions, base: string): void {
  describe('list and get', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(options, base);
    });
    afterAll(() => app.close());

    const list = (qs: string) =>
      app.http.get(`${app.base}/${qs ? `?${qs}` : ''}`).set(ROLE, 'staff');
    const expectIds = (filter: (e: EventLog) => boolean) => idsOf(app.entries.filter(filter));

    it('lists newest first, 50 by default, ISO 8601 UTC timestamps, no count unless asked', async () => {
      const res = await list('').expect(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body.results).toHaveLength(50);
      expect(res.body).not.toHaveProperty('count');
      expect(res.body.previous).toBeNull();
      expect(typeof res.body.next).toBe('string');
      expect(ordered(res.body.results, 'desc')).toBe(true);
      for (const r of res.body.results as Row[]) {
        expect(r.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      }
      const newest = [...app.entries].sort(
        (a, b) => b.timestamp.getTime() - a.timestamp.getTime(),
      )[0];
      expect((res.body.results as Row[])[0]?.timestamp).toBe(newest?.timestamp.toISOString());
    });

    it('renders an entry as the camelCase EventLog', async () => {
      const stored = app.entries.find((e) => e.changes !== null) as EventLog;
      const res = await app.http.get(`${app.base}/${stored.id}`).set(ROLE, 'staff').expect(200);
      expect(res.body).toEqual({
        ...JSON.parse(JSON.stringify(stored)),
        timestamp: stored.timestamp.toISOString(),
      });
    });

    it('GET /:id of an absent entry is 404 with an error body', async () => {
      for (const id of ['999999999', 'not-an-id', '%E2%80%AE']) {
        const res = await app.http.get(`${app.base}/${id}`).set(ROLE, 'staff').expect(404);
        expect(res.body.error.code).toBe('NOT_FOUND');
      }
    });

    const cases: [string, string, (e: EventLog) => boolean][] = [
      ['tool', 'tool=alpha', (e) => e.tool === 'alpha'],
      ['repeated tool', 'tool=alpha&tool=gamma', (e) => e.tool === 'alpha' || e.tool === 'gamma'],
      ['action', 'action=update', (e) => e.action === 'update'],
      ['repeated action', 'action=create&action=delete', (e) => e.action !== 'update'],
      ['actor', 'actor=u3', (e) => e.actorId === 'u3'],
      ['object_type', 'object_type=Team', (e) => e.objectType === 'Team'],
      [
        'object',
        'object_type=Item&object_id=4',
        (e) => e.objectType === 'Item' && e.objectId === '4',
      ],
      [
        'search (case-insensitive, % and _ literal)',
        'search=needle',
        (e) => /needle/i.test(e.message),
      ],
      ['batch', 'batch=batch-2', (e) => e.batchId === 'batch-2'],
      ['changed key', 'changed=n', (e) => e.changes !== null && 'n' in e.changes.newValue],
      [
        'repeated changed key',
        'changed=absent&changed=n&tool=alpha',
        (e) => e.changes !== null && e.tool === 'alpha',
      ],
      [
        'combined',
        'tool=beta&action=create&object_type=Team',
        (e) => e.tool === 'beta' && e.action === 'create' && e.objectType === 'Team',
      ],
    ];
    for (const [name, qs, filter] of cases) {
      it(`filters by ${name}`, async () => {
        const res = await list(`${qs}&limit=500&with_count=true`).expect(200);
        const expected = expectIds(filter);
        expect(expected.length).toBeGreaterThan(0);
        expect(idsOf(res.body.results)).toEqual(expected);
        expect(res.body.count).toBe(expected.length);
        expect(res.body.next).toBeNull();
      });
    }

    it('filters by from (inclusive) and to (exclusive), any timezone offset', async () => {
      const times = [...new Set(app.entries.map((e) => e.timestamp.getTime()))].sort(
        (a, b) => a - b,
      );
      const from = new Date(times[10] as number);
      const to = new Date(times[20] as number);
      // The same instant written with a +02:00 offset.
      const toLocal = new Date(to.getTime() + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
      const qs = `from=${from.toISOString()}&to=${encodeURIComponent(toLocal)}&limit=500`;
      const res = await list(qs).expect(200);
      const expected = expectIds((e) => e.timestamp >= from && e.timestamp < to);
      expect(expected.length).toBeGreaterThan(0);
      expect(idsOf(res.body.results)).toEqual(expected);
    });

    it('orders oldest first with order=asc and honours limit', async () => {
      const res = await list('order=asc&limit=5').expect(200);
      expect(res.body.results).toHaveLength(5);
      expect(ordered(res.body.results, 'asc')).toBe(true);
      const oldest = Math.min(...app.entries.map((e) => e.timestamp.getTime()));
      expect(Date.parse((res.body.results as Row[])[0]?.timestamp ?? '')).toBe(oldest);
    });

    it('counts all matches with with_count=true', async () => {
      const res = await list('with_count=true&limit=3').expect(200);
      expect(res.body.count).toBe(SEEDED);
      expect(res.body.results).toHaveLength(3);
    });

    it('search treats % and _ literally', async () => {
      // As LIKE wildcards, `y 1_` would match "Entry 10"… and `0%_` every "(100%_done)".
      const none = await list('search=y%201_&with_count=true').expect(200);
      expect(none.body.count).toBe(0);
      const all = await list('search=0%25_&with_count=true').expect(200);
      expect(all.body.count).toBe(SEEDED);
    });

    it('a filter matching nothing is an empty page, not an error', async () => {
      const res = await list('tool=nope&with_count=true').expect(200);
      expect(res.body).toEqual({
        count: 0,
        countExact: true,
        next: null,
        previous: null,
        results: [],
      });
    });
  });
}
