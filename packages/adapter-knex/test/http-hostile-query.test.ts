import { describeSuite } from '@eventlog/conformance';
import { EventLogService } from '@eventlog/core';
import { createEventLogRoutes, createObjectLogRoute, type HttpRequest } from '@eventlog/core/http';
import { expect, it } from 'vitest';
import { createEventLogTable, knexStorage } from '../src/index';
import { backends, randomTable } from './support';

// On real databases: hostile query strings and path parameters are 400s, never
// 500s. The HTTP contract suite runs on the memory storage; PostgreSQL adds one trap of its own: it refuses
// U+0000 even as a bound parameter, so a NUL that reached it would be a driver error (500).

const HOSTILE_QUERIES = [
  'tool=a%00b',
  'action=x&action=%00',
  'actor=u%00',
  'object_type=Item%00&object_id=1',
  'object_type=Item&object_id=%00',
  'search=%00',
  'search=a%00%25',
  'tool[$ne]=x',
  'actor[$regex]=.*',
  'a[__proto__]=b',
  'limit=1e9',
  'limit=-1',
  'cursor=%00',
  'from=2024-02-01T00:00:00Z&to=2024-01-01T00:00:00Z',
  'from=not-a-date',
];

const request = (query: string, params: Record<string, string> = {}): HttpRequest<null> => ({
  params,
  query,
  path: '/logs/',
  headers: {},
  native: null,
});

for (const backend of backends.filter((b) => b.name !== 'SQLite :memory:')) {
  describeSuite(
    `hostile HTTP input on ${backend.name}`,
    { name: backend.name, unavailable: backend.unavailable },
    () => {
      it('every hostile query string and path parameter is a 400, never a 500', async () => {
        const { knex, close } = await backend.open();
        const table = randomTable();
        try {
          await createEventLogTable(knex, { tableName: table });
          const service = new EventLogService(knexStorage(knex, { tableName: table }));
          await service.log({ template: 'seen', tool: 'items', action: 'create' });
          const errors: unknown[] = [];
          const onError = (e: unknown) => errors.push(e);
          const [, list, get] = createEventLogRoutes(service, { authorize: 'public', onError });
          const objectLog = createObjectLogRoute(service, {
            authorize: 'public',
            objectType: 'Item',
            onError,
          });
          for (const query of HOSTILE_QUERIES) {
            const response = await list?.handle(request(query));
            expect(response?.status, query).toBe(400);
          }
          expect((await get?.handle(request('', { id: '1\u0000' })))?.status).toBe(400);
          expect((await objectLog.handle(request('', { id: '\u0000' }))).status).toBe(400);
          expect((await objectLog.handle(request('search=%00', { id: '1' }))).status).toBe(400);
          expect(errors).toEqual([]);
          // The same routes still answer a sane query.
          expect((await list?.handle(request('tool=items')))?.status).toBe(200);
        } finally {
          await knex.schema.dropTableIfExists(table);
          await close();
        }
      });
    },
  );
}
