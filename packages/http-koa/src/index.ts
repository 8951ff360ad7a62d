import {
  createEventLogRoutes,
  createObjectLogRoutes,
  type EventLogContextOptions,
  type EventLogReader,
  type EventLogRouteOptions,
  type ObjectLogReader,
  type ObjectLogRouteOptions,
  requestContextOf,
  runWithContext,
} from '@eventlog/core';
import { Router, type RouterContext } from '@koa/router';
import type { Context, Middleware } from 'koa';
import { handlerOf } from './translate';

export { eventLogViewer, type KoaEventLogViewerOptions } from './viewer';

/** Options of `eventLogRouter`: `authorize` (required), `scope`, `format`, `onError`, `prefix`. */
export interface KoaEventLogRouterOptions extends EventLogRouteOptions<RouterContext> {
  /** Router prefix, e.g. `/api/eventlogs`. */
  prefix?: string;
}
/** Options of `withObjectLog`: `objectType`, `param`, `authorize` (required), `scope`, ... */
export type KoaObjectLogOptions = ObjectLogRouteOptions<RouterContext>;
/** Options of `eventLogContext`: `actor`, `requestId`, `metadata`, each a function of `ctx`. */
export type KoaEventLogContextOptions = EventLogContextOptions<Context>;

/**
 * A `@koa/router` router with `GET /` (list, filterable and paginated) and `GET /:id` (one
 * entry, 404 when absent or outside the caller's scope):
 * `app.use(eventLogRouter(service, { prefix: '/api/eventlogs', authorize }).routes())`.
 *
 * @throws ConfigurationError when `options.authorize` is missing (say `'public'` on purpose).
 */
export function eventLogRouter(service: EventLogReader, options: KoaEventLogRouterOptions): Router {
  const { prefix, ...routeOptions } = options;
  const router = new Router(prefix === undefined ? {} : { prefix });
  for (const route of createEventLogRoutes(service, routeOptions)) {
    router.get(route.path, handlerOf(route));
  }
  return router;
}

/**
 * Adds `GET /:id/log` (the seed's `EventLogMixin`) and `GET /:id/log/state?at=<ISO>` to an existing resource router: the log of
 * one object of `options.objectType`, with the list's parameters and pagination.
 * Returns the same router.
 *
 * @throws ConfigurationError when `options.authorize` or `options.objectType` is missing.
 */
export function withObjectLog(
  router: Router,
  service: ObjectLogReader,
  options: KoaObjectLogOptions,
): Router {
  for (const route of createObjectLogRoutes(service, options)) {
    router.get(route.path, handlerOf(route));
  }
  return router;
}

/**
 * Middleware running the downstream middleware inside the core request context, so every
 * `log()` made while handling the request gets the actor, ip (`ctx.ip`, which honours
 * `app.proxy`), user agent and request id. The request id is echoed in the `x-request-id`
 * response header.
 */
export function eventLogContext(options: KoaEventLogContextOptions = {}): Middleware {
  return async (ctx, next) => {
    const context = await requestContextOf(ctx, { ip: ctx.ip, headers: ctx.headers }, options);
    if (context.requestId !== undefined) ctx.set('x-request-id', context.requestId);
    await runWithContext(context, () => next());
  };
}
