import { openApiDocument, type ResponseFormat } from '@eventlog/core';
import type { FastifySchema } from 'fastify';

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Json;
}
interface Operation {
  operationId: string;
  summary: string;
  parameters: Parameter[];
  responses: Json;
}

/** Replaces each `$ref` to `#/components/schemas/X` by X: a route's schema stands alone. */
function inline(value: unknown, components: Json): unknown {
  if (Array.isArray(value)) return value.map((v) => inline(v, components));
  if (value === null || typeof value !== 'object') return value;
  const { $ref } = value as Json;
  if (typeof $ref === 'string') return inline(components[$ref.split('/').pop() as string], components);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inline(v, components)]));
}

/**
 * fast-json-stringify writes required properties first. Where they are not already first (the
 * page envelope: optional `count`, `next`, `previous`, then required `results`), the
 * serializer's schema leaves them optional so the keys keep the order the handlers chose.
 */
function keepKeyOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keepKeyOrder);
  if (value === null || typeof value !== 'object') return value;
  const { required, properties, ...rest } = value as Json;
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, keepKeyOrder(v)]));
  if (properties) out.properties = keepKeyOrder(properties);
  const keys = Object.keys((properties as Json | undefined) ?? {});
  if (Array.isArray(required) && required.every((k, i) => keys[i] === k)) out.required = required;
  return out;
}

function objectOf(parameters: Parameter[]): Json {
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema])),
    required: parameters.filter((p) => p.required).map((p) => p.name),
  };
}

function schemaOf(op: Operation): FastifySchema {
  const params = op.parameters.filter((p) => p.in === 'path');
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(params.length > 0 && { params: objectOf(params) }),
    querystring: objectOf(op.parameters.filter((p) => p.in === 'query')),
    response: keepKeyOrder(op.responses),
  } as FastifySchema;
}

/**
 * Fastify schemas of the routes, taken from core's OpenAPI document (itself generated from the
 * zod schemas the handlers validate with and render), so the response serializer and
 * `@fastify/swagger` describe exactly what the handlers send.
 */
export function routeSchemas(
  format: ResponseFormat | undefined,
  objectLog?: { objectType: string; param?: string | undefined },
): Record<'list' | 'get' | 'objectLog', FastifySchema> {
  const doc = openApiDocument({
    ...(format && { format }),
    objectLogs: objectLog ? [{ path: '', ...objectLog }] : [],
  });
  const components = (doc.components as { schemas: Json }).schemas;
  const paths = inline(doc.paths, components) as Record<string, { get: Operation }>;
  const get = (path: string) => paths[path]?.get;
  const objectPath = `/{${objectLog?.param ?? 'id'}}/log`;
  return {
    list: schemaOf(get('/') as Operation),
    get: schemaOf(get('/{id}') as Operation),
    objectLog: objectLog ? schemaOf(get(objectPath) as Operation) : {},
  };
}
