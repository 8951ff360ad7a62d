import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEventLogRoutes, type EventLogReader } from '../src/http/index';
import type { EventLogQuery } from '../src/index';

// Only these shapes may ever reach a storage from the query string: no objects, no operators.
function plain(query: EventLogQuery): boolean {
  return Object.values(query).every(
    (v) =>
      v === undefined ||
      typeof v === 'string' ||
      typeof v === 'number' ||
      typeof v === 'boolean' ||
      v instanceof Date ||
      (Array.isArray(v) && v.every((x) => typeof x === 'string')),
  );
}

describe('query strings reaching the storage', () => {
  it('never carry an object, an operator key or a prototype', async () => {
    const seen: EventLogQuery[] = [];
    const reader: EventLogReader = {
      list: async (q) => {
        seen.push(q);
        return { results: [], nextCursor: null };
      },
      get: async () => null,
    };
    const [, list] = createEventLogRoutes(reader, { authorize: 'public' });
    const key = fc.constantFrom(
      'tool',
      'action',
      'actor',
      'search',
      'limit',
      'order',
      'x',
      '__proto__',
    );
    const suffix = fc.constantFrom('', '[$ne]', '[__proto__]', '[]', '[$regex]', '.$gt');
    const value = fc.string({ unit: 'grapheme-ascii', maxLength: 10 }).map(encodeURIComponent);
    const qs = fc
      .array(fc.tuple(key, suffix, value), { maxLength: 6 })
      .map((ps) => ps.map(([k, s, v]) => `${k}${s}=${v}`).join('&'));
    await fc.assert(
      fc.asyncProperty(qs, async (q) => {
        const before = seen.length;
        const res = await list?.handle({
          params: {},
          query: q,
          path: '/',
          headers: {},
          native: {},
        });
        expect([200, 400]).toContain(res?.status);
        if (res?.status === 200) {
          const reached = seen[before] as EventLogQuery;
          expect(plain(reached)).toBe(true);
          expect(Object.getPrototypeOf(reached)).toBe(Object.prototype);
          expect(Object.keys(reached).some((k) => k.startsWith('$') || k === '__proto__')).toBe(
            false,
          );
        } else {
          expect(seen.length).toBe(before);
        }
      }),
      { numRuns: 300 },
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).tool).toBeUndefined();
  });
});
