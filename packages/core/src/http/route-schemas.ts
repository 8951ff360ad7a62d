import { openApiDocument } from './openapi';
import type { ResponseFormat } from './types';

type Json = Record<string, unknown>;
type Parameter = { name: string; in: string; required: boolean; schema: Json };
type Operation = { operationId: string; summary: string; parameters: Parameter[]; responses: Json };
type Paths = Record<string, { get: Operation }>;

/**
 * One route's JSON Schemas, in the shape schema-driven frameworks (Fastify) register: path
 * parameters, query string and responses by status, each standing alone (no `$ref`).
 */
export interface RouteJsonSchema {
  operationId: string;
  summary: string;
  params?: Json;
  querystring: Json;
  response: Json;
}

/**
 * A route's schema stands alone: each `$ref` to `#/components/schemas/X` becomes X. And since
 * schema-driven serializers (fast-json-stringify) write required properties first, required
 * properties that are not first already (the page's `results`, after optional `count`, `next`,
 * `previous`) are left optional for them, so the keys keep the order the handlers chose.
 */
function standalone(value: unknown, components: Json): unknown {
  const walk = (v: unknown) => standalone(v, components);
  if (Array.isArray(value)) return value.map(walk);
  if (value === null || typeof value !== 'object') return value;
  const { $ref, required, ...rest } = value as Json;
  if (typeof $ref === 'string') return walk(components[$ref.split('/').pop() ?? '']);
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, walk(v)]));
  const keys = Object.keys((rest.properties as Json | undefined) ?? {});
  const leading = !Array.isArray(required) || required.every((k, i) => keys[i] === k);
  if (required !== undefined && leading) out.required = required;
  return out;
}

const objectOf = (parameters: Parameter[]): Json => ({
  type: 'object',
  properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema])),
  required: parameters.filter((p) => p.required).map((p) => p.name),
});

function schemaOf({ operationId, summary, parameters, responses }: Operation): RouteJsonSchema {
  const params = parameters.filter((p) => p.in === 'path');
  const querystring = objectOf(parameters.filter((p) => p.in === 'query'));
  const schema = { operationId, summary, querystring, response: responses };
  return params.length > 0 ? { ...schema, params: objectOf(params) } : schema;
}

/**
 * The list, entry, integrity and object-log routes' JSON Schemas, from `openApiDocument()` (generated from
 * the zod schemas the handlers use), so a framework's serializer and its OpenAPI plugin agree
 * with the handlers. `objectLog.path` is the prefix the object-log route is mounted under, which
 * names its operation; without `objectLog`, `objectLog` is an empty schema.
 */
export function routeJsonSchemas(
  format: ResponseFormat | undefined,
  objectLog?: { objectType: string; param?: string | undefined; path?: string },
): Record<
  'list' | 'export' | 'get' | 'integrity' | 'objectLog' | 'objectState',
  RouteJsonSchema | Record<string, never>
> {
  const objectLogs = objectLog ? [{ path: '', ...objectLog }] : [];
  const doc = openApiDocument({ ...(format && { format }), objectLogs, integrity: true });
  const paths = standalone(doc.paths, (doc.components as { schemas: Json }).schemas) as Paths;
  const at = (path: string) => schemaOf(paths[path]?.get as Operation);
  const logPath = objectLog && `${objectLog.path ?? ''}/{${objectLog.param ?? 'id'}}/log`;
  return {
    list: at('/'),
    export: at('/export'),
    get: at('/{id}'),
    integrity: at('/integrity'),
    objectLog: logPath ? at(logPath) : {},
    objectState: logPath ? at(`${logPath}/state`) : {},
  };
}
