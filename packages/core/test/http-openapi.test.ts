import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/http/index';
import { HTTP_MAX_LIMIT, HTTP_MAX_REPEATS, httpListQuerySchema } from '../src/http/query';

type Param = { name: string; in: string; schema: Record<string, unknown> };
type Operation = { operationId: string; parameters: Param[]; responses: Record<string, unknown> };

describe('openApiDocument', () => {
  const doc = openApiDocument({
    basePath: '/api/eventlogs',
    objectLogs: [{ path: '/items', objectType: 'Item', param: 'itemId' }],
  }) as {
    openapi: string;
    paths: Record<string, { get: Operation }>;
    components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
  };

  it('is an OpenAPI 3.1 document of the routes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/eventlogs/',
      '/api/eventlogs/export',
      '/api/eventlogs/{id}',
      '/items/{itemId}/log',
      '/items/{itemId}/log/state',
    ]);
    const state = doc.paths['/items/{itemId}/log/state']?.get as Operation;
    expect(state.parameters.map((p) => p.name)).toEqual(['itemId', 'at', 'entry']);
    expect(Object.keys(state.responses).sort()).toEqual(['200', '400', '403', '404']);
    const list = doc.paths['/api/eventlogs/']?.get as Operation;
    expect(Object.keys(list.responses).sort()).toEqual(['200', '400', '403']);
    expect(Object.keys(doc.paths['/api/eventlogs/{id}']?.get.responses ?? {})).toContain('404');
    const single = doc.paths['/api/eventlogs/{id}']?.get.parameters[0];
    expect(single).toMatchObject({ name: 'id', in: 'path', required: true });
  });

  it('gives one object type served at two paths two operation ids, derived from the path', () => {
    const two = openApiDocument({
      objectLogs: [
        { path: '/api/items', objectType: 'Item' },
        { path: '/api/v2/items', objectType: 'Item' },
      ],
    }) as typeof doc;
    const ids = Object.values(two.paths).map((path) => path.get.operationId);
    expect(ids).toEqual([
      'listEventLogs',
      'exportEventLogs',
      'getEventLog',
      'listApiItemsEventLogs',
      'getApiItemsState',
      'listApiV2ItemsEventLogs',
      'getApiV2ItemsState',
    ]);
  });

  it('derives every list parameter from the zod schema the handlers validate with', () => {
    const list = doc.paths['/api/eventlogs/']?.get as Operation;
    expect(list.parameters.map((p) => p.name).sort()).toEqual(
      Object.keys(httpListQuerySchema.shape).sort(),
    );
    const byName = Object.fromEntries(list.parameters.map((p) => [p.name, p.schema]));
    expect(byName.limit).toMatchObject({ type: 'integer', minimum: 1, maximum: 500 });
    expect(byName.page_size).toMatchObject({ type: 'integer', maximum: 500 });
    expect(HTTP_MAX_LIMIT).toBe(500);
    expect(byName.tool).toMatchObject({ type: 'array', maxItems: HTTP_MAX_REPEATS });
    expect(byName.from).toMatchObject({ type: 'string', format: 'date-time' });
    expect(byName.order).toMatchObject({ enum: ['desc', 'asc'] });
    const objectRoute = doc.paths['/items/{itemId}/log']?.get as Operation;
    const names = objectRoute.parameters.map((p) => p.name);
    expect(names).toContain('itemId');
    expect(names).not.toContain('object_type');
    expect(names).not.toContain('object_id');
  });

  it('describes the entry in the chosen format', () => {
    expect(Object.keys(doc.components.schemas.EventLog?.properties ?? {})).toContain('actorLabel');
    const seed = openApiDocument({ format: 'seed' }) as typeof doc;
    expect(Object.keys(seed.components.schemas.EventLog?.properties ?? {})).toContain(
      'object_type',
    );
    expect(Object.keys(seed.paths)).toEqual(['/', '/export', '/{id}']);
  });
});
