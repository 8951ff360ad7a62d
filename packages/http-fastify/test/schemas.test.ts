import { EventLogService, memoryStorage } from '@eventlog/core';
import { openApiDocument } from '@eventlog/core/http';
import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { fastifyEventLog, withObjectLog } from '../src/index';

type Json = Record<string, unknown>;

// @fastify/swagger moves a parameter's description out of its schema; nothing else differs.
function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'description')
      .map(([k, v]) => [k, withoutDescriptions(v)]),
  );
}

function inline(value: unknown, components: Json): unknown {
  if (Array.isArray(value)) return value.map((v) => inline(v, components));
  if (value === null || typeof value !== 'object') return value;
  const { $ref } = value as Json;
  if (typeof $ref === 'string')
    return inline(components[$ref.split('/').pop() as string], components);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inline(v, components)]));
}

describe('route schemas (fastify)', () => {
  for (const format of ['json', 'seed'] as const) {
    it(`@fastify/swagger documents the routes as openApiDocument() does (${format})`, async () => {
      const eventlog = new EventLogService(memoryStorage());
      const app = Fastify();
      await app.register(swagger, {
        openapi: { openapi: '3.1.0', info: { title: 'Event log', version: '1.0.0' } },
      });
      await app.register(fastifyEventLog, {
        eventlog,
        prefix: '/api/eventlogs',
        authorize: 'public',
        format,
      });
      await app.register(
        async (items) => {
          withObjectLog(items, eventlog, {
            objectType: 'Item',
            param: 'itemId',
            authorize: 'public',
            format,
          });
        },
        { prefix: '/items' },
      );
      await app.ready();
      const theirs = app.swagger() as { paths: Record<string, { get: Json }> };
      const doc = openApiDocument({
        basePath: '/api/eventlogs',
        objectLogs: [{ path: '/items', objectType: 'Item', param: 'itemId' }],
        format,
      });
      const components = (doc.components as { schemas: Json }).schemas;
      const ours = inline(doc.paths, components) as Record<string, { get: Json }>;
      expect(Object.keys(theirs.paths).sort()).toEqual(Object.keys(ours).sort());
      for (const [path, { get }] of Object.entries(ours)) {
        const their = theirs.paths[path]?.get as Json;
        expect(their.operationId).toBe(get.operationId);
        // `style: form, explode: true` is OpenAPI's default for a query parameter.
        const byName = (ps: unknown) =>
          Object.fromEntries(
            (ps as Json[]).map(({ style, explode, ...p }) => {
              const isDefault = p.in === 'query' && style === 'form' && explode === true;
              const param = isDefault || style === undefined ? p : { ...p, style, explode };
              return [p.name, withoutDescriptions(param)];
            }),
          );
        expect(byName(their.parameters)).toEqual(byName(get.parameters));
        const responses = withoutDescriptions(get.responses) as Json;
        // The page envelope's `required: ['results']` is left to the handlers (see schemas.ts).
        const page = (responses['200'] as Json).content as Record<string, { schema: Json }>;
        // The export route's 200 is not JSON.
        const pageSchema = page['application/json']?.schema as Json | undefined;
        if (
          pageSchema &&
          Array.isArray(pageSchema.required) &&
          pageSchema.required[0] === 'results'
        ) {
          delete pageSchema.required;
        }
        expect(withoutDescriptions(their.responses)).toEqual(responses);
      }
      await app.close();
    });
  }

  it('serializes with the route schema: a field the schema does not know is not sent', async () => {
    const storage = memoryStorage();
    const service = new EventLogService(storage);
    const entry = await service.log({ template: 'x', tool: 't', action: 'a' });
    const leaky = { ...entry, passwordHash: 'secret' };
    const app = Fastify();
    await app.register(fastifyEventLog, {
      eventlog: {
        list: async () => ({ results: [leaky], nextCursor: null }),
        get: async () => leaky,
      },
      authorize: 'public',
    });
    const one = await app.inject({ method: 'GET', url: `/${entry.id}` });
    expect(one.statusCode).toBe(200);
    expect(one.json()).not.toHaveProperty('passwordHash');
    expect(one.json()).toEqual(JSON.parse(JSON.stringify(entry)));
    const list = await app.inject({ method: 'GET', url: '/' });
    expect(list.json().results[0]).not.toHaveProperty('passwordHash');
    await app.close();
  });
});
