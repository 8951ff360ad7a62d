import { encodeCursor } from '@eventlog/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, type RunningApp, startApp } from './fixture';
import type { HttpContractOptions } from './types';

const many = (n: number, pair: string) => Array.from({ length: n }, () => pair).join('&');

/** Query strings that must be a 400 naming the parameter (issue 8, item 8). */
const BAD: [query: string, param: string][] = [
  ['tool[$ne]=x', 'tool'],
  ['tool%5B%24ne%5D=x', 'tool'],
  ['actor[$regex]=.*', 'actor'],
  ['a[__proto__]=b', 'a'],
  ['__proto__=x', '__proto__'],
  ['constructor=x', 'constructor'],
  ['tool[]=a&tool[]=b', 'tool'],
  ['unknown=1', 'unknown'],
  ['format=seed', 'format'],
  [many(10_000, 'tool=x'), 'tool'],
  [many(51, 'action=x'), 'action'],
  ['actor=a&actor=b', 'actor'],
  ['batch=a&batch=b', 'batch'],
  ['batch=', 'batch'],
  ['changed=', 'changed'],
  [many(51, 'changed=x'), 'changed'],
  [`batch=${'x'.repeat(256)}`, 'batch'],
  ['tool=', 'tool'],
  [`search=${'x'.repeat(201)}`, 'search'],
  [`tool=${'x'.repeat(256)}`, 'tool'],
  ['limit=1e9', 'limit'],
  ['limit=-1', 'limit'],
  ['limit=1.5', 'limit'],
  ['limit=0', 'limit'],
  ['limit=501', 'limit'],
  ['limit=abc', 'limit'],
  ['limit=0x10', 'limit'],
  ['page=0', 'page'],
  ['page=-2', 'page'],
  ['page_size=501', 'page_size'],
  ['page=2&limit=10', 'limit'],
  ['from=garbage', 'from'],
  ['from=2024-01-01', 'from'],
  ['from=2024-01-01T00:00:00', 'from'],
  ['to=2024-13-01T00:00:00Z', 'to'],
  ['to=2023-02-29T00:00:00Z', 'to'],
  ['from=2024-02-01T00:00:00Z&to=2024-01-01T00:00:00Z', 'from'],
  // Before TIMESTAMP_RANGE (years 1000-9999), where a database would refuse or shift the date.
  ['from=0999-12-31T23:59:59.999Z', 'from'],
  ['from=0000-01-01T00:00:00Z', 'from'],
  ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
  ['cursor=WyJkIiwiMjAyNC0wMS0wMSIsIjEiXQ', 'cursor'],
  ['cursor=%00%01', 'cursor'],
  ['cursor=abc&page=2', 'cursor'],
  ['order=sideways', 'order'],
  ['with_count=yes', 'with_count'],
  ['object_id=4', 'object_id'],
];

/** Every 400 case, the forged/truncated cursor, and a fuzz that never sees a 500. */
export function badInputContract(options: HttpContractOptions, base: string): void {
  describe('bad input', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(options, base);
    });
    afterAll(() => app.close());

    for (const [query, param] of BAD) {
      it(`400 naming ${param}: ${query.slice(0, 60)}`, async () => {
        const res = await app.http.get(`${app.base}/?${query}`).set(ROLE, 'staff').expect(400);
        expect(res.body.error.code).toBe('VALIDATION_ERROR');
        expect(typeof res.body.error.message).toBe('string');
        expect(res.body.error.issues[0].param).toBe(param);
        expect(typeof res.body.error.issues[0].message).toBe('string');
        expect(app.errors).toEqual([]);
      });
    }

    it('400 for a truncated or re-ordered real cursor', async () => {
      const first = await app.http.get(`${app.base}/?limit=3`).set(ROLE, 'staff').expect(200);
      const cursor = new URL(first.body.next, 'http://x').searchParams.get('cursor') as string;
      for (const bad of [cursor.slice(0, -4), cursor.slice(0, 10), `${cursor}AAAA`]) {
        const res = await app.http.get(`${app.base}/?cursor=${bad}`).set(ROLE, 'staff').expect(400);
        expect(res.body.error.issues[0].param).toBe('cursor');
      }
      // A desc cursor replayed with order=asc.
      const flipped = await app.http
        .get(`${app.base}/?cursor=${cursor}&order=asc`)
        .set(ROLE, 'staff')
        .expect(400);
      expect(flipped.body.error.issues[0].param).toBe('cursor');
    });

    it('400 naming cursor for a real cursor carrying an impossible date, never a 500', async () => {
      const first = await app.http.get(`${app.base}/?limit=3`).set(ROLE, 'staff').expect(200);
      const cursor = new URL(first.body.next, 'http://x').searchParams.get('cursor') as string;
      const [, ...key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as string[];
      for (const date of ['2024-13-45T99:99:99.999999Z', '2024-02-30T12:00:00.000000Z']) {
        for (let i = 0; i < key.length; i++) {
          const forged = encodeCursor(
            'desc',
            key.map((part, j) => (j === i ? date : part)),
          );
          const res = await app.http.get(`${app.base}/?cursor=${forged}`).set(ROLE, 'staff');
          expect(res.status, `${date} in part ${i}`).toBe(400);
          expect(res.body.error.issues[0].param).toBe('cursor');
        }
      }
      expect(app.errors).toEqual([]);
    });

    it('the object route refuses object_type / object_id and bad parameters too', async () => {
      for (const [query, param] of [
        ['object_type=Team', 'object_type'],
        ['object_id=3', 'object_id'],
        ['limit=1e9', 'limit'],
      ]) {
        const res = await app.http.get(`/items/2/log?${query}`).set(ROLE, 'staff').expect(400);
        expect(res.body.error.issues[0].param).toBe(param);
      }
    });

    it('fuzz: any query string is 200, 400, 403 or 404, never a 500', async () => {
      const names = fc.constantFrom(
        'tool',
        'action',
        'actor',
        'object_type',
        'object_id',
        'from',
        'to',
        'search',
        'limit',
        'cursor',
        'page',
        'page_size',
        'order',
        'with_count',
        '__proto__',
        'constructor',
        'a',
      );
      const suffix = fc.constantFrom(
        '',
        '[]',
        '[$ne]',
        '[__proto__]',
        '[0]',
        '[a][b]',
        '.x',
        '%5B%5D',
      );
      const value = fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent),
        fc.string({ unit: 'binary-ascii', maxLength: 12 }).map(encodeURIComponent),
        fc.constantFrom(
          '%',
          '%ZZ',
          '%C0%AF',
          '%00',
          '%F0%9F%98',
          '+',
          '1e9',
          '-1',
          '2024-01-01T00:00:00Z',
          'asc',
          'true',
          '',
        ),
        fc.integer().map(String),
      );
      const pair = fc.tuple(names, suffix, value).map(([n, s, v]) => `${n}${s}=${v}`);
      const query = fc.oneof(
        fc.array(pair, { maxLength: 8 }).map((p) => p.join('&')),
        fc.tuple(pair, fc.integer({ min: 1, max: 3000 })).map(([p, n]) => many(n, p)),
        fc.string({ unit: 'binary-ascii', maxLength: 40 }).map(encodeURI),
      );
      const path = fc.constantFrom(`${app.base}/`, `${app.base}/1`, '/items/1/log');
      const role = fc.constantFrom('staff', 'guest');
      await fc.assert(
        fc.asyncProperty(path, query, role, async (p, q, r) => {
          const res = await app.http.get(`${p}?${q}`).set(ROLE, r);
          expect([200, 400, 403, 404]).toContain(res.status);
          expect(typeof res.body).toBe('object');
        }),
        { numRuns: 150 },
      );
      expect(app.errors).toEqual([]);
    });
  });
}
