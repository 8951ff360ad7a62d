import type { IncomingHttpHeaders } from 'node:http';
import type { ObjectState } from '../history/fold';
import type { StateAtOptions } from '../history/object-history';
import type { IntegrityStatus } from '../integrity/status';
import type { EventLog, EventLogPage, EventLogQuery } from '../schemas';

/**
 * What the HTTP handlers need from the service: `EventLogService` satisfies it, and so does any
 * object with the same two reads (a wrapper that adds caching or tracing, a test double).
 */
export interface EventLogReader {
  /** One page of entries matching `query`; throws `ValidationError` for a bad query or cursor. */
  list(query: EventLogQuery): Promise<EventLogPage>;
  /** The entry with this id, or `null` when there is none. */
  get(id: string): Promise<EventLog | null>;
  /**
   * The integrity status (`EventLogService.integrityStatus`): needed only by the integrity route,
   * which `EventLogRouteOptions.integrity` turns on.
   */
  integrityStatus?(): Promise<IntegrityStatus>;
}

/** What the object routes read (the log and the state of one object): `EventLogService` is one. */
export interface ObjectLogReader extends EventLogReader {
  /** The state of one object at `at` (default now) or right after an entry: `EventLogService.stateAt`. */
  stateAt(
    object: { type: string; id: string },
    at?: Date,
    options?: StateAtOptions,
  ): Promise<ObjectState>;
}

/**
 * A framework-neutral request, built by the Express and Koa adapters.
 *
 * @typeParam N - the framework's own request object (Express `Request`, Koa `Context`), handed
 * to `authorize` and `scope` so they can read `req.user`, sessions and the like.
 */
export interface HttpRequest<N = unknown> {
  /** Route parameters (`id`, or the object route's own parameter). */
  params: Readonly<Record<string, string | undefined>>;
  /**
   * The raw query string without the leading `?` (`tool=a&tool=b`). Core parses it itself so
   * every framework gets identical rules, whatever its own query parser would have built.
   */
  query: string;
  /** The absolute request path including any mount prefix (`/api/eventlogs/`); used in links. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The framework's request (Express `req`, Koa `ctx`). */
  native: N;
}

/**
 * What a handler returns; the adapter writes `body` as JSON, or, when `stream` is set, `headers`
 * (which then name the content type) and every chunk of `stream` as it comes. A stream that
 * throws has already sent its 200: the adapter ends the connection abruptly so the client sees
 * a truncated download, never a complete-looking one.
 */
export interface HttpResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** A body written chunk by chunk (UTF-8 text), instead of `body`. */
  stream?: AsyncIterable<string>;
}

/** The result of `authorize`. */
export type AuthorizeResult = boolean | Promise<boolean>;

/**
 * Filters forced onto every query a request makes (a tenant's tool, the caller's own entries,
 * one object). The query string can only narrow them: a query asking for anything outside the
 * scope gets an empty page, and `GET /:id` of an entry outside it is a 404.
 * `objectId` needs `objectType`.
 */
export interface ScopeFilter {
  tool?: string | readonly string[];
  action?: string | readonly string[];
  actorId?: string;
  objectType?: string;
  objectId?: string;
}

/** Response shape: `'json'` (default) is the camelCase `EventLog`; `'seed'` the Django app's. */
export type ResponseFormat = 'json' | 'seed';

/** Access and rendering options shared by every route. */
export interface HttpAccessOptions<N = unknown> {
  /**
   * Required: decides whether the request may read the log (`false` → 403). Pass the string
   * `'public'` to expose the routes to everyone on purpose; omitting it throws a
   * `ConfigurationError` when the routes are built.
   */
  authorize: ((req: N) => AuthorizeResult) | 'public';
  /** Filters forced onto every query of this request; `null`/`undefined` for none. */
  scope?: (req: N) => ScopeFilter | null | undefined | Promise<ScopeFilter | null | undefined>;
  /** Default `'json'`. */
  format?: ResponseFormat;
  /** Receives every unexpected error (the client only sees a generic 500). */
  onError?: (error: unknown, req: N) => void;
}

/** Options of the list, single-entry and OpenAPI document routes. */
export interface EventLogRouteOptions<N = unknown> extends HttpAccessOptions<N> {
  /**
   * What `GET /openapi.json` describes beyond these routes: the app's `withObjectLog` routes, the
   * document's title and version. Its base path is where the router is mounted.
   */
  openApi?: Pick<OpenApiOptions, 'objectLogs' | 'title' | 'version'>;
  /**
   * Serves `GET /integrity`, the integrity status (`EventLogService.integrityStatus`: per
   * partition, the latest checkpoint and the chain verified from it to the head), to the requests
   * both the router's `authorize` and this one accept. Off unless given: the route does not exist
   * without it. `scope` does not apply (the status covers every partition, and names them), so
   * grant it only to those who may see the whole log's integrity.
   */
  integrity?: { authorize: ((req: N) => AuthorizeResult) | 'public' };
}

/** Options of the per-object route (`GET /:id/log`), the seed's `EventLogMixin`. */
export interface ObjectLogRouteOptions<N = unknown> extends HttpAccessOptions<N> {
  /** The `objectType` every entry of this route has, e.g. `'Item'`. */
  objectType: string;
  /** Name of the route parameter holding the object id; default `'id'`. */
  param?: string;
}

/** One entry of the route table: the adapters register `handle` for `method path`. */
export interface HttpRoute<N = unknown> {
  name: 'openapi' | 'list' | 'export' | 'get' | 'integrity' | 'objectLog' | 'objectState';
  method: 'GET';
  /** Express/`@koa/router` style path relative to the router, e.g. `/:id`. */
  path: string;
  /** Never throws: every failure becomes a 4xx or a generic 500. */
  handle(req: HttpRequest<N>): Promise<HttpResponse>;
}

/** Options of `openApiDocument`. */
export interface OpenApiOptions {
  /** Where `eventLogRouter` is mounted, e.g. `/api/eventlogs`; default `/`. */
  basePath?: string;
  /** Each `withObjectLog` route: its resource path (`/items`), object type and parameter name. */
  objectLogs?: readonly { path: string; objectType: string; param?: string }[];
  format?: ResponseFormat;
  title?: string;
  version?: string;
  /** Describe `GET /integrity` too (the router serves it when its `integrity` option is given). */
  integrity?: boolean;
}
