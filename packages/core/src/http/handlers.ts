import { ConfigurationError, ValidationError } from '../errors';
import type { EventLogPage } from '../schemas';
import { exportChunks, parseExportQuery } from './export';
import { linkTo, renderEntry, renderPage } from './format';
import { guarded, requireAuthorize } from './guarded';
import { createIntegrityRoute } from './integrity-route';
import { openApiDocument } from './openapi';
import { httpInstantSchema, type ParsedListQuery, parseListQuery } from './query';
import { exportResponse, notFound, ok } from './responses';
import { applyScope, entryInScope, normalizeScope } from './scope';
import type {
  EventLogReader,
  EventLogRouteOptions,
  HttpAccessOptions,
  HttpRequest,
  HttpResponse,
  HttpRoute,
  ObjectLogReader,
  ObjectLogRouteOptions,
} from './types';

const ROUTE_FIXED: ReadonlySet<string> = new Set(['object_type', 'object_id']);

async function listPage<N>(
  service: EventLogReader,
  options: HttpAccessOptions<N>,
  req: HttpRequest<N>,
  parsed: ParsedListQuery,
): Promise<HttpResponse> {
  const format = options.format ?? 'json';
  const scope = normalizeScope(await options.scope?.(req.native));
  // The seed's API always counted; so does its format.
  const withCount = parsed.query.withCount || format === 'seed';
  const query = applyScope({ ...parsed.query, withCount }, scope);
  const page: EventLogPage =
    query === null
      ? { results: [], nextCursor: null, count: 0, countExact: true }
      : await service.list(query);
  let next: string | null = null;
  let previous: string | null = null;
  if (parsed.style === 'page') {
    // Whether an entry follows this page; a capped count cannot tell past its limit.
    if (page.nextCursor !== null) {
      next = linkTo(req.path, parsed.params, { page: String(parsed.page + 1) });
    }
    if (parsed.page > 1)
      previous = linkTo(req.path, parsed.params, { page: String(parsed.page - 1) });
  } else if (page.nextCursor !== null) {
    next = linkTo(req.path, parsed.params, { cursor: page.nextCursor });
  }
  const count = withCount ? { count: page.count, countExact: page.countExact } : {};
  return ok(renderPage({ results: page.results, ...count, next, previous }, format));
}

function idParam(value: string | undefined, name: string): string {
  if (value === undefined || value.length === 0 || value.length > 255) {
    throw ValidationError.field(name, 'must be 1 to 255 characters');
  }
  // As in query strings: PostgreSQL refuses U+0000 even as a bound parameter (a 500 otherwise).
  if (value.includes('\0')) throw ValidationError.field(name, 'must not contain U+0000 (NUL)');
  return value;
}

/** The mount path of the router serving `path` (which ends in `/openapi.json`). */
const basePathOf = (path: string): string => path.replace(/\/openapi\.json$/, '') || '/';

/**
 * The list (`GET /`), export (`GET /export?format=ndjson|csv`, every entry matching the list's
 * filters, streamed), single-entry (`GET /:id`) and OpenAPI document (`GET /openapi.json`)
 * routes over `service`, all behind the same `authorize` and `scope`; with `options.integrity`,
 * the integrity status (`GET /integrity`) too, behind its own `authorize` as well. Throws a `ConfigurationError` when
 * `options.authorize` is missing.
 */
export function createEventLogRoutes<N>(
  service: EventLogReader,
  options: EventLogRouteOptions<N>,
): HttpRoute<N>[] {
  requireAuthorize(options, 'eventLogRouter');
  const format = options.format ?? 'json';
  const integrity = createIntegrityRoute(service, options);
  return [
    // Before `/:id`, which would take `openapi.json` for an entry id.
    {
      name: 'openapi',
      method: 'GET',
      path: '/openapi.json',
      handle: guarded(options, async (req) =>
        ok(
          openApiDocument({
            ...options.openApi,
            format,
            basePath: basePathOf(req.path),
            integrity: integrity !== null,
          }),
        ),
      ),
    },
    // Only when asked for, and before `/:id` too.
    ...(integrity === null ? [] : [integrity]),
    {
      name: 'list',
      method: 'GET',
      path: '/',
      handle: guarded(options, async (req, style) => {
        const parsed = parseListQuery(req.query);
        style.current = parsed.style;
        return listPage(service, options, req, parsed);
      }),
    },
    // Before `/:id` too.
    {
      name: 'export',
      method: 'GET',
      path: '/export',
      handle: guarded(options, async (req) => {
        const parsed = parseExportQuery(req.query);
        const scope = normalizeScope(await options.scope?.(req.native));
        const query = applyScope(parsed.list.query, scope);
        const onError = (error: unknown) => options.onError?.(error, req.native);
        const stream = await exportChunks(service, query, parsed.format, onError);
        return exportResponse(parsed.format, stream);
      }),
    },
    {
      name: 'get',
      method: 'GET',
      path: '/:id',
      handle: guarded(options, async (req) => {
        const entry = await service.get(idParam(req.params.id, 'id'));
        const scope = normalizeScope(await options.scope?.(req.native));
        if (entry === null || !entryInScope(entry, scope)) return notFound();
        return ok(renderEntry(entry, format));
      }),
    },
  ];
}

/**
 * The per-object route (`GET /:param/log`), listing the entries of one object of
 * `options.objectType` — the seed's `EventLogMixin`. It takes the list's parameters except
 * `object_type` and `object_id`, which the route sets.
 */
export function createObjectLogRoute<N>(
  service: EventLogReader,
  options: ObjectLogRouteOptions<N>,
): HttpRoute<N> {
  const param = objectRouteParam(options);
  return {
    name: 'objectLog',
    method: 'GET',
    path: `/:${param}/log`,
    handle: guarded(options, async (req, style) => {
      const objectId = idParam(req.params[param], param);
      const parsed = parseListQuery(req.query, ROUTE_FIXED);
      style.current = parsed.style;
      const query = { ...parsed.query, objectType: options.objectType, objectId };
      return listPage(service, options, req, { ...parsed, query });
    }),
  };
}

/**
 * The routes of one object: its log (`createObjectLogRoute`) and its state
 * (`createObjectStateRoute`). What the framework packages' `withObjectLog` mounts.
 */
export function createObjectLogRoutes<N>(
  service: ObjectLogReader,
  options: ObjectLogRouteOptions<N>,
): HttpRoute<N>[] {
  return [createObjectLogRoute(service, options), createObjectStateRoute(service, options)];
}

/** Checks the options of the object routes and returns the route parameter's name. */
function objectRouteParam(options: ObjectLogRouteOptions<never>): string {
  requireAuthorize(options, 'withObjectLog');
  if (typeof options.objectType !== 'string' || options.objectType.length === 0) {
    throw new ConfigurationError('withObjectLog: `objectType` is required');
  }
  const param = options.param ?? 'id';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(param)) {
    throw new ConfigurationError(
      `withObjectLog: \`param\` must be a route parameter name, not ${param}`,
    );
  }
  return param;
}

/**
 * The query of the state route: nothing (now), one ISO 8601 instant `at`, or one entry id
 * `entry` (the state right after that entry); nothing else.
 */
function parseStateQuery(raw: string): { at?: Date; entry?: string } {
  const given = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(raw)) {
    if (key !== 'at' && key !== 'entry') {
      throw ValidationError.field(key.slice(0, 64), 'is not a known parameter');
    }
    if (given.has(key)) throw ValidationError.field(key, 'must be given once');
    given.set(key, value);
  }
  const at = given.get('at');
  const entry = given.get('entry');
  if (entry !== undefined) {
    if (at !== undefined) throw ValidationError.field('entry', 'cannot be combined with at');
    return { entry: idParam(entry, 'entry') };
  }
  if (at === undefined) return {};
  const parsed = httpInstantSchema.safeParse(at);
  if (!parsed.success) throw ValidationError.field('at', parsed.error.issues[0]?.message ?? '');
  return { at: new Date(parsed.data) };
}

/**
 * The state route of one object (`GET /:param/log/state?at=<ISO>` or `?entry=<id>`), beside the object log and
 * behind the same `authorize`: `{ state, asOf, entryId, complete }` of `stateAt`, 404 when the
 * object has no entry (or is outside the caller's `scope`; a scope narrower than whole objects,
 * by tool, action or actor, hides every state, since a state folds all of an object's entries).
 */
export function createObjectStateRoute<N>(
  service: ObjectLogReader,
  options: ObjectLogRouteOptions<N>,
): HttpRoute<N> {
  const param = objectRouteParam(options);
  const objectType = options.objectType;
  return {
    name: 'objectState',
    method: 'GET',
    path: `/:${param}/log/state`,
    handle: guarded(options, async (req) => {
      const objectId = idParam(req.params[param], param);
      const { at, entry } = parseStateQuery(req.query);
      const scope = normalizeScope(await options.scope?.(req.native));
      const narrow = scope?.tool ?? scope?.action ?? scope?.actorId;
      if (narrow !== undefined || applyScope({ objectType, objectId }, scope) === null) {
        return notFound();
      }
      const object = { type: objectType, id: objectId };
      const result = await service.stateAt(object, at, entry === undefined ? {} : { entry });
      if (result.entryId === null) {
        const any = await service.list({ objectType, objectId, limit: 1 });
        if (any.results.length === 0) return notFound();
      }
      return ok({ ...result, asOf: result.asOf?.toISOString() ?? null });
    }),
  };
}
