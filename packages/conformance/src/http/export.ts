import type { EventLog, LogInput } from '@eventlog/core';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, type RunningApp, startApp } from './fixture';
import type { ContractNative, HttpContractOptions } from './types';

const TENANT = 'x-test-tenant';
// More than one storage page (HTTP_MAX_LIMIT = 500), so the export must follow the cursor.
const BULK = 460;
// Cells a spreadsheet would run as formulas, and one that needs RFC 4180 quoting.
const HOSTILE = ['=HYPERLINK("http://x","y")', '+1+2', '-3', '@SUM(A1)', 'a,"b"\r\nc'];

function entry(i: number, message: string): LogInput {
  return {
    timestamp: new Date(Date.UTC(2023, 0, 1) + i * 1000),
    actor: { id: 'bulk' },
    template: message,
    tool: 'bulk',
    action: 'create',
    object: { type: 'Bulk', id: String(i) },
    changes: i === 0 ? { oldValue: { a: [1, { b: null }] }, newValue: { a: '=x' } } : null,
  };
}

const newestFirst = (rows: readonly EventLog[]): string[] =>
  [...rows]
    .sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime() || (a.id < b.id ? 1 : -1))
    .map((e) => e.id);

const ndjson = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line));

/** `GET <base>/export?format=ndjson|csv`: every match of the list filters, streamed. */
export function exportContract(options: HttpContractOptions, base: string): void {
  describe('export', () => {
    let app: RunningApp;
    let all: EventLog[];
    beforeAll(async () => {
      app = await startApp(options, base, {
        router: {
          authorize: (req: ContractNative) =>
            req.headers[ROLE] === 'staff' || req.headers[TENANT] !== undefined,
          scope: (req: ContractNative) =>
            req.headers[TENANT] ? { tool: String(req.headers[TENANT]) } : null,
        },
      });
      const bulk = Array.from({ length: BULK }, (_, i) =>
        entry(i, i < HOSTILE.length ? (HOSTILE[i] as string) : `Bulk ${i}`),
      );
      const added = await app.service.logMany(bulk);
      all = [...app.entries, ...added];
    });
    afterAll(() => app.close());

    const get = (qs: string) =>
      app.http
        .get(`${app.base}/export?${qs}`)
        .set(ROLE, 'staff')
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => done(null, text));
        });

    it('NDJSON: every entry of the filter, newest first, across storage pages', async () => {
      const res = await get('format=ndjson').expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="eventlog-.*\.ndjson"$/,
      );
      expect(res.headers['cache-control']).toBe('no-store');
      const rows = ndjson(res.body as string);
      expect(rows.map((r) => r.id)).toEqual(newestFirst(all));
      const first = all.find((e) => e.tool === 'bulk' && e.objectId === '0') as EventLog;
      expect(rows.find((r) => r.id === first.id)).toEqual(
        JSON.parse(JSON.stringify({ ...first, timestamp: first.timestamp.toISOString() })),
      );
    });

    it('NDJSON: the list filters and order apply', async () => {
      const res = await get('format=ndjson&tool=alpha&action=create&order=asc').expect(200);
      const expected = newestFirst(
        all.filter((e) => e.tool === 'alpha' && e.action === 'create'),
      ).reverse();
      expect(expected.length).toBeGreaterThan(0);
      expect(ndjson(res.body as string).map((r) => r.id)).toEqual(expected);
    });

    it('CSV: a header row, quoted cells, JSON columns, formulas neutralised', async () => {
      const res = await get('format=csv&tool=bulk').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const rows = parse(res.body as string, { columns: true }) as Record<string, string>[];
      expect(rows.map((r) => r.id)).toEqual(newestFirst(all.filter((e) => e.tool === 'bulk')));
      const byObject = new Map(rows.map((r) => [r.objectId, r]));
      HOSTILE.forEach((message, i) => {
        const cell = byObject.get(String(i))?.message;
        expect(cell).toBe(/^[=+\-@]/.test(message) ? `'${message}` : message);
      });
      const zero = byObject.get('0') as Record<string, string>;
      expect(JSON.parse(zero.changes as string)).toEqual({
        oldValue: { a: [1, { b: null }] },
        newValue: { a: '=x' },
      });
      expect(zero.template).toBe(`'${HOSTILE[0]}`);
      expect(zero.eventId).toBe('');
      expect(new Date(zero.timestamp as string).toISOString()).toBe(zero.timestamp);
    });

    it('an empty result is an empty download (CSV: the header alone)', async () => {
      const res = await get('format=csv&tool=nothing-has-this').expect(200);
      expect(parse(res.body as string, { columns: true })).toEqual([]);
      expect((res.body as string).startsWith('id,timestamp,')).toBe(true);
      expect((await get('format=ndjson&tool=nothing-has-this').expect(200)).body).toBe('');
    });

    it('400 naming the parameter for bad input', async () => {
      for (const [qs, param] of [
        ['', 'format'],
        ['format=xml', 'format'],
        ['format=csv&format=ndjson', 'format'],
        ['format=csv&limit=10', 'limit'],
        ['format=csv&cursor=abc', 'cursor'],
        ['format=csv&page=2', 'page'],
        ['format=csv&tool[$ne]=x', 'tool'],
        ['format=csv&from=yesterday', 'from'],
        ['format=csv&nope=1', 'nope'],
      ] as const) {
        const res = await app.http.get(`${app.base}/export?${qs}`).set(ROLE, 'staff');
        expect(res.status, qs).toBe(400);
        expect(res.body.error.issues[0].param, qs).toBe(param);
      }
    });

    it('403 when authorize says no; a scope narrows the export', async () => {
      const refused = await app.http.get(`${app.base}/export?format=csv`).expect(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
      const res = await app.http
        .get(`${app.base}/export?format=ndjson`)
        .set(TENANT, 'beta')
        .buffer(true)
        .parse((r, done) => {
          let text = '';
          r.setEncoding('utf8');
          r.on('data', (c: string) => {
            text += c;
          });
          r.on('end', () => done(null, text));
        })
        .expect(200);
      expect(ndjson(res.body as string).map((r) => r.id)).toEqual(
        newestFirst(all.filter((e) => e.tool === 'beta')),
      );
    });
  });
}
