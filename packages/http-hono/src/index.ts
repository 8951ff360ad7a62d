import {
  createEventLogRoutes,
  createObjectLogRoutes,
  type EventLogContextOptions,
  type EventLogReader,
  type EventLogRouteOptions,
  type HttpRequest,
  type HttpRoute,
  type ObjectLogReader,
  type ObjectLogRouteOptions,
  requestContextOf,
  runWithContext,
} from '@eventlog/core/http';
import { createViewerRoutes, type ViewerOptions } from '@eventlog/viewer';
import { type Context, type Handler, Hono, type MiddlewareHandler } from 'hono';
import type { GetConnInfo } from 'hono/conninfo';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Options of `eventLogRoutes`: `authorize` (required), `scope`, `format`, `onError`. */
export type HonoEventLogRouteOptions = EventLogRouteOptions<Context>;
/** Options of `withObjectLog`: `objectType`, `param`, `authorize` (required), `scope`, ... */
export type HonoObjectLogOptions = ObjectLogRouteOptions<Context>;
/** Options of `eventLogViewer`: `authorize` (required), `scope`, `title`, `onError`. */
export type HonoEventLogViewerOptions = ViewerOptions<Context>;
/** Options of `eventLogContext`: `actor`, `requestId`, `metadata` (functions of `c`), `getConnInfo`. */
export interface HonoEventLogContextOptions extends EventLogContextOptions<Context> {
  /**
   * The runtime's `getConnInfo` (`@hono/node-server/conninfo`, `hono/bun`, `hono/deno`, ...),
   * which gives the client address; without it no `ip` is recorded.
   */
  getConnInfo?: GetConnInfo;
}

/**
 * Hono request → neutral request, from web-standard `Request` fields only. Core parses the raw
 * query string and links to the raw path (not Hono's decoded `c.req.path`), so an encoded id in
 * the path stays encoded in `next` / `previous`.
 */
function toHttpRequest(c: Context): HttpRequest<Context> {
  const url = c.req.url;
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const q = url.indexOf('?', start);
  return {
    params: c.req.param() as Record<string, string | undefined>,
    query: q === -1 ? '' : url.slice(q + 1),
    path: url.slice(start, q === -1 ? undefined : q),
    headers: c.req.header(),
    native: c,
  };
}

/** A Hono handler for one core route; core never throws, so nothing reaches `app.onError`. */
function handlerOf(route: HttpRoute<Context>): Handler {
  return async (c) => {
    const out = await route.handle(toHttpRequest(c));
    if (out.stream) {
      // Web-standard streams only; an error midway errors the stream (a cut download).
      const body = ReadableStream.from(out.stream).pipeThrough(new TextEncoderStream());
      return c.body(body, 200, out.headers);
    }
    return c.json(out.body, out.status as ContentfulStatusCode, out.headers);
  };
}

/**
 * A Hono app with `GET /` (list, filterable and paginated) and `GET /:id` (one entry, 404 when
 * absent or outside the caller's scope), to mount with `app.route('/api/eventlogs', …)`.
 * It uses only web-standard `Request` / `Response`, so it runs on every runtime Hono targets.
 *
 * @throws ConfigurationError when `options.authorize` is missing (say `'public'` on purpose).
 */
export function eventLogRoutes(service: EventLogReader, options: HonoEventLogRouteOptions): Hono {
  const app = new Hono();
  for (const route of createEventLogRoutes(service, options)) app.get(route.path, handlerOf(route));
  return app;
}

/**
 * Adds `GET /:id/log` (the seed's `EventLogMixin`) and `GET /:id/log/state?at=<ISO>` to a resource sub-app: the log of one object
 * of `options.objectType`, with the list's parameters and pagination. Returns the same app.
 *
 * @throws ConfigurationError when `options.authorize` or `options.objectType` is missing.
 */
export function withObjectLog<A extends Hono>(
  app: A,
  service: ObjectLogReader,
  options: HonoObjectLogOptions,
): A {
  for (const route of createObjectLogRoutes(service, options))
    app.get(route.path, handlerOf(route));
  return app;
}

/**
 * The patterns routing `path`, which the viewer addresses with its trailing slash, in strict and
 * non-strict apps alike: `app.route(base, …)` turns a sub-app's `/` into the bare `base`
 * (`/:slash{^$}` is `base/`), and `strict: false` strips the slash before routing.
 */
const slashed = (path: string): string[] => {
  if (path === '/') return ['/', '/:slash{^$}'];
  return path.endsWith('/') ? [path, path.slice(0, -1)] : [path];
};

/**
 * A Hono app serving the audit-log viewer at its root (`GET /`, a page under a strict
 * Content-Security-Policy), its hashed assets (`/assets/…`, cached for good) and the API the page
 * calls (`/api/…`, the routes of `eventLogRoutes`). The page and the API answer 403 together when
 * `authorize` refuses, and the API applies `scope`. Mount it at any path:
 * `app.route('/admin/audit', eventLogViewer(service, { authorize }))`.
 *
 * @throws ConfigurationError when `options.authorize` is missing (say `'public'` on purpose).
 */
export function eventLogViewer(service: ObjectLogReader, options: HonoEventLogViewerOptions): Hono {
  const { files, apiPrefix, api } = createViewerRoutes(service, options);
  const app = new Hono();
  for (const file of files) {
    app.on('GET', slashed(file.path), async (c) => {
      const { path, query } = toHttpRequest(c);
      const out = await file.handle({ path, query, native: c });
      // The built files are read into buffers of their own (`ArrayBuffer`-backed), as Hono asks.
      const body = out.body as string | Uint8Array<ArrayBuffer>;
      return c.body(body, out.status as ContentfulStatusCode, out.headers);
    });
  }
  for (const route of api) app.on('GET', slashed(`${apiPrefix}${route.path}`), handlerOf(route));
  return app;
}

/**
 * Middleware running the rest of the request inside the core request context, so every `log()`
 * made while handling it gets the actor, ip (from `options.getConnInfo`), user agent and
 * request id. The request id is echoed in the `x-request-id` response header. The context
 * rides on `AsyncLocalStorage`, which Node, Bun, Deno and Workers (`nodejs_compat`) provide.
 */
export function eventLogContext(options: HonoEventLogContextOptions = {}): MiddlewareHandler {
  const { getConnInfo, ...contextOptions } = options;
  return async (c, next) => {
    const ip = getConnInfo?.(c).remote.address;
    const headers = c.req.header();
    const ctx = await requestContextOf(c, { ip, headers }, contextOptions);
    if (ctx.requestId !== undefined) c.header('x-request-id', ctx.requestId);
    await runWithContext(ctx, () => next());
  };
}
