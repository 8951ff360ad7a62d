import { describe, expect, it, vi } from 'vitest';
import {
  createEventLogRoutes,
  createObjectLogRoute,
  type EventLogReader,
  type HttpRequest,
} from '../src/http/index';
import { parseListQuery } from '../src/http/query';
import { ConfigurationError, EventLogService, memoryStorage, StorageError } from '../src/index';

const request = (
  query = '',
  params: Record<string, string> = {},
): HttpRequest<{ role: string }> => ({
  params,
  query,
  path: '/logs/',
  headers: {},
  native: { role: 'staff' },
});

const failing = (error: unknown): EventLogReader => ({
  list: async () => {
    throw error;
  },
  get: async () => {
    throw error;
  },
});

describe('core HTTP handlers', () => {
  it('refuse to build without authorize, objectType or a sane param name', () => {
    const service = new EventLogService(memoryStorage());
    expect(() => createEventLogRoutes(service, {} as never)).toThrow(ConfigurationError);
    expect(() => createEventLogRoutes(service, { authorize: 'yes' as never })).toThrow(
      ConfigurationError,
    );
    expect(() => createObjectLogRoute(service, { authorize: 'public' } as never)).toThrow(
      ConfigurationError,
    );
    expect(() =>
      createObjectLogRoute(service, { authorize: 'public', objectType: 'Item', param: 'id/:x' }),
    ).toThrow(ConfigurationError);
    const routes = createEventLogRoutes(service, { authorize: 'public' });
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /openapi.json',
      'GET /',
      'GET /export',
      'GET /:id',
    ]);
    expect(
      createObjectLogRoute(service, { authorize: 'public', objectType: 'Item', param: 'itemId' })
        .path,
    ).toBe('/:itemId/log');
  });

  it('an unexpected failure is a generic 500, the error goes to onError', async () => {
    const boom = new StorageError(
      'knex',
      'find',
      new Error('password=hunter2 in connection string'),
    );
    const onError = vi.fn();
    const [, list, , get] = createEventLogRoutes(failing(boom), { authorize: 'public', onError });
    for (const [route, req] of [
      [list, request('tool=a')],
      [get, request('', { id: '1' })],
    ] as const) {
      const res = await route?.handle(req);
      expect(res?.status).toBe(500);
      expect(res?.body).toEqual({
        error: { code: 'INTERNAL_ERROR', message: 'The event log could not be read.' },
      });
      expect(JSON.stringify(res?.body)).not.toContain('hunter2');
    }
    expect(onError).toHaveBeenCalledTimes(2);
    expect(onError.mock.calls[0]?.[0]).toBe(boom);
    expect(onError.mock.calls[0]?.[1]).toEqual({ role: 'staff' });
  });

  it('a throwing authorize or a malformed scope is a 500, not a 400 or a leak', async () => {
    const service = new EventLogService(memoryStorage());
    const onError = vi.fn();
    const [, byAuthorize] = createEventLogRoutes(service, {
      authorize: () => {
        throw new Error('session store down');
      },
      onError,
    });
    expect((await byAuthorize?.handle(request()))?.status).toBe(500);
    const [, byScope] = createEventLogRoutes(service, {
      authorize: 'public',
      scope: () => ({ objectId: '1' }),
      onError,
    });
    expect((await byScope?.handle(request()))?.status).toBe(500);
    expect(onError.mock.calls[1]?.[0]).toBeInstanceOf(ConfigurationError);
  });

  it('authorize must say exactly true: a truthy non-boolean is a 403', async () => {
    const service = new EventLogService(memoryStorage());
    const [, list] = createEventLogRoutes(service, { authorize: (() => 'yes') as never });
    expect((await list?.handle(request()))?.status).toBe(403);
  });
});

describe('parseListQuery', () => {
  it('maps snake_case parameters onto the core query', () => {
    const parsed = parseListQuery(
      'tool=a&tool=b&action=update&actor=u1&object_type=Item&object_id=7&from=2024-01-01T00:00:00%2B02:00&to=2024-02-01T00:00:00Z&search=x+y&order=asc&with_count=true&limit=20',
    );
    expect(parsed.style).toBe('cursor');
    expect(parsed.query).toEqual({
      tool: ['a', 'b'],
      action: ['update'],
      actorId: 'u1',
      objectType: 'Item',
      objectId: '7',
      from: new Date('2023-12-31T22:00:00Z'),
      to: new Date('2024-02-01T00:00:00Z'),
      search: 'x y',
      limit: 20,
      offset: 0,
      order: 'asc',
      withCount: true,
    });
  });

  it('page style: offset from page and page_size, count always', () => {
    const parsed = parseListQuery('page=3&page_size=25');
    expect(parsed.style).toBe('page');
    expect(parsed.query).toMatchObject({ limit: 25, offset: 50, withCount: true });
    expect(parseListQuery('page=2').query).toMatchObject({ limit: 50, offset: 50 });
  });

  it('caps the page size at 500 rows, in both styles', () => {
    expect(parseListQuery('limit=500').query.limit).toBe(500);
    expect(parseListQuery('page=1&page_size=500').query.limit).toBe(500);
    expect(() => parseListQuery('limit=501')).toThrow(/limit/);
    expect(() => parseListQuery('page=1&page_size=501')).toThrow(/page_size/);
  });

  it('names the offending parameter, stops early on floods', () => {
    const flood = Array.from({ length: 100_000 }, (_, i) => `tool=${i}`).join('&');
    expect(() => parseListQuery(flood)).toThrow(/tool: accepts at most 50 values/);
    expect(() => parseListQuery('tool[$ne]=x')).toThrow(/tool: nested objects/);
    expect(() => parseListQuery('x&y&z')).toThrow(/x: is not a known parameter/);
    expect(() => parseListQuery('object_id=1', new Set(['object_type', 'object_id']))).toThrow(
      /object_id: is set by this route/,
    );
  });
});
