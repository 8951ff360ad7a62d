import { z } from 'zod';
import { EXPORT_PAGING_PARAMS } from './export';
import { eventLogJsonSchema, seedEventLogSchema } from './format';
import { eventLogPageSchema } from './page-schema';
import { httpInstantSchema, httpListQuerySchema } from './query';
import type { OpenApiOptions } from './types';

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' });
  return rest;
}

function queryParameters(exclude: ReadonlySet<string>): JsonSchema[] {
  return Object.entries(httpListQuerySchema.shape)
    .filter(([name]) => !exclude.has(name))
    .map(([name, field]) => {
      const inner = field.unwrap();
      const schema = schemaOf(inner);
      return {
        name,
        in: 'query',
        required: false,
        ...(inner.description && { description: inner.description }),
        schema,
        ...(schema.type === 'array' && { style: 'form', explode: true }),
      };
    });
}

const INTEGRITY_STATUS_SCHEMA = {
  type: 'object',
  required: ['ok', 'at', 'partitions'],
  properties: {
    ok: { type: 'boolean' },
    at: { type: 'string', format: 'date-time' },
    partitions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['partition', 'ok', 'headSeq', 'checkpoint', 'from', 'checked'],
        properties: {
          partition: { type: 'string' },
          ok: { type: 'boolean' },
          headSeq: { type: ['integer', 'null'] },
          checkpoint: {
            type: ['object', 'null'],
            required: ['seq', 'at'],
            properties: {
              seq: { type: 'integer' },
              at: { type: 'string', format: 'date-time' },
            },
          },
          from: { type: 'integer' },
          checked: { type: 'integer', minimum: 0 },
          firstBroken: {
            type: 'object',
            required: ['seq', 'reason'],
            properties: { seq: { type: 'integer' }, reason: { type: 'string' } },
          },
        },
      },
    },
  },
};

const join = (a: string, b: string): string => `${a.replace(/\/+$/, '')}${b}` || '/';

/**
 * `listItemsEventLogs` for `/items/{id}/log`, `listApiV2ItemsEventLogs` for
 * `/api/v2/items/{id}/log`: derived from the path, so one object type served at two paths gets
 * two ids (OpenAPI requires them unique, and client generators refuse duplicates).
 */
function objectLogOperationId(path: string): string {
  const words = path
    .split('/')
    .filter((segment) => segment.length > 0 && !segment.startsWith('{'))
    .flatMap((segment) => segment.split(/[^A-Za-z0-9]+/))
    .filter((word) => word.length > 0)
    .map((word) => `${word[0]?.toUpperCase()}${word.slice(1)}`);
  return `list${words.join('')}EventLogs`;
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/**
 * An OpenAPI 3.1 document of the event log routes, generated from the zod schemas the handlers
 * validate with, so the published limits (`limit` ≤ 500, at most 50 `tool` values, date-time
 * formats) are the enforced ones.
 */
export function openApiDocument(options: OpenApiOptions = {}): JsonSchema {
  const base = options.basePath ?? '/';
  const entry = options.format === 'seed' ? seedEventLogSchema : eventLogJsonSchema;
  const pageResponse = {
    description: 'One page of entries, newest first unless order=asc.',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/EventLogPage' } } },
  };
  const common = {
    '400': errorResponse('A malformed or unknown parameter.'),
    '403': errorResponse('authorize() refused.'),
  };
  const paths: Record<string, JsonSchema> = {
    [join(base, '/')]: {
      get: {
        operationId: 'listEventLogs',
        summary: 'List event log entries',
        parameters: queryParameters(new Set()),
        responses: { '200': pageResponse, ...common },
      },
    },
    [join(base, '/export')]: {
      get: {
        operationId: 'exportEventLogs',
        summary: 'Every entry matching the filters, streamed as NDJSON or CSV',
        parameters: [
          {
            name: 'format',
            in: 'query',
            required: true,
            description:
              "ndjson: one entry (as EventLog) per line; csv: a header row, then one row per entry, JSON-valued columns as JSON, cells starting with = + - @ prefixed with '.",
            schema: { type: 'string', enum: ['ndjson', 'csv'] },
          },
          ...queryParameters(EXPORT_PAGING_PARAMS),
        ],
        responses: {
          '200': {
            description: 'A download (content-disposition: attachment), written as it is read.',
            content: {
              'application/x-ndjson': { schema: { type: 'string' } },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          ...common,
        },
      },
    },
    [join(base, '/{id}')]: {
      get: {
        operationId: 'getEventLog',
        summary: 'One event log entry',
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: { type: 'string', minLength: 1, maxLength: 255 },
          },
        ],
        responses: {
          '200': {
            description: 'The entry.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/EventLog' } } },
          },
          ...common,
          '404': errorResponse('No such entry, or one outside the caller’s scope.'),
        },
      },
    },
  };
  if (options.integrity) {
    paths[join(base, '/integrity')] = {
      get: {
        operationId: 'getEventLogIntegrity',
        summary:
          'Integrity status: per partition, the latest checkpoint and the chain verified from it to the head',
        parameters: [],
        responses: {
          '200': {
            description: 'The status of every partition.',
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/IntegrityStatus' } },
            },
          },
          ...common,
        },
      },
    };
  }
  const taken = new Set([
    'listEventLogs',
    'exportEventLogs',
    'getEventLog',
    'getEventLogIntegrity',
  ]);
  for (const route of options.objectLogs ?? []) {
    const param = route.param ?? 'id';
    let operationId = objectLogOperationId(route.path);
    for (let n = 2; taken.has(operationId); n++)
      operationId = `${objectLogOperationId(route.path)}${n}`;
    taken.add(operationId);
    const pathParam = {
      name: param,
      in: 'path',
      required: true,
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    };
    paths[join(route.path, `/{${param}}/log`)] = {
      get: {
        operationId,
        summary: `Event log of one ${route.objectType}`,
        parameters: [pathParam, ...queryParameters(new Set(['object_type', 'object_id']))],
        responses: { '200': pageResponse, ...common },
      },
    };
    paths[join(route.path, `/{${param}}/log/state`)] = {
      get: {
        operationId: operationId.replace(/^list(.*)EventLogs(\d*)$/, 'get$1State$2'),
        summary: `State of one ${route.objectType} at an instant or entry, folded from its log`,
        parameters: [
          pathParam,
          {
            name: 'at',
            in: 'query',
            required: false,
            description: 'The instant (default now); entries at exactly this instant count.',
            schema: schemaOf(httpInstantSchema),
          },
          {
            name: 'entry',
            in: 'query',
            required: false,
            description:
              'Instead of `at`: the id of one of the object’s entries, for the state right after it (entries sharing its timestamp but ordered after it by id are left out).',
            schema: { type: 'string', minLength: 1, maxLength: 255 },
          },
        ],
        responses: {
          '200': {
            description: 'The state, the entry it is as of, and whether every field is known.',
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/ObjectState' } },
            },
          },
          ...common,
          '404': errorResponse('No entry about this object, or one outside the caller’s scope.'),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: options.title ?? 'Event log', version: options.version ?? '1.0.0' },
    paths,
    components: {
      schemas: {
        EventLog: schemaOf(entry),
        EventLogPage: eventLogPageSchema(options.format),
        ObjectState: {
          type: 'object',
          required: ['state', 'asOf', 'entryId', 'complete'],
          properties: {
            state: { type: ['object', 'null'], additionalProperties: true },
            asOf: { type: ['string', 'null'], format: 'date-time' },
            entryId: { type: ['string', 'null'] },
            complete: { type: 'boolean' },
          },
        },
        IntegrityStatus: INTEGRITY_STATUS_SCHEMA,
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                issues: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { param: { type: 'string' }, message: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}
