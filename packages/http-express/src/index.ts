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
import { type Request, type RequestHandler, Router } from 'express';
import { handlerOf } from './translate';

export { type ExpressEventLogViewerOptions, eventLogViewer } from './viewer';

/** Options of `eventLogRouter`: `authorize` (required), `scope`, `format`, `onError`. */
export type ExpressEventLogRouterOptions = EventLogRouteOptions<Request>;
/** Options of `withObjectLog`: `objectType`, `param`, `authorize` (required), `scope`, ... */
export type ExpressObjectLogOptions = ObjectLogRouteOptions<Request>;
/** Options of `eventLogContext`: `actor`, `requestId`, `metadata`, each a function of `req`. */
export type ExpressEventLogContextOptions = EventLogContextOptions<Request>;

/**
 * An Express `Router` with `GET /` (list, filterable and paginated) and `GET /:id` (one entry,
 * 404 when absent or outside the caller's scope). Mount it anywhere:
 * `app.use('/api/eventlogs', eventLogRouter(service, { authorize }))`.
 *
 * @throws ConfigurationError when `options.authorize` is missing (say `'public'` on purpose).
 */
export function eventLogRouter(
  service: EventLogReader,
  options: ExpressEventLogRouterOptions,
): Router {
  const router = Router();
  for (const route of createEventLogRoutes(service, options)) {
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
  options: ExpressObjectLogOptions,
): Router {
  for (const route of createObjectLogRoutes(service, options)) {
    router.get(route.path, handlerOf(route));
  }
  return router;
}

/**
 * Middleware running the rest of the request inside the core request context, so every
 * `log()` made while handling it gets the actor, ip (`req.ip`, which honours the app's
 * `trust proxy` setting), user agent and request id. The request id is echoed in the
 * `x-request-id` response header.
 *
 * Mount it after body parsers: Node's async context does not follow a request body's stream
 * events, so a body parser mounted later would resume the chain outside the context.
 */
export function eventLogContext(options: ExpressEventLogContextOptions = {}): RequestHandler {
  return async (req, res, next) => {
    let ctx: Awaited<ReturnType<typeof requestContextOf>>;
    try {
      ctx = await requestContextOf(req, { ip: req.ip, headers: req.headers }, options);
    } catch (error) {
      next(error);
      return;
    }
    if (ctx.requestId !== undefined) res.setHeader('x-request-id', ctx.requestId);
    runWithContext(ctx, () => next());
  };
}
