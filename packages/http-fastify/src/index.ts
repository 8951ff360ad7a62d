import {
  createEventLogRoutes,
  createObjectLogRoute,
  type EventLogContextOptions,
  type EventLogReader,
  type EventLogRouteOptions,
  type HttpRoute,
  type ObjectLogRouteOptions,
  requestContextOf,
  runWithContext,
} from '@eventlog/core';
import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyRequest,
  FastifySchema,
  RouteHandlerMethod,
} from 'fastify';
import fp from 'fastify-plugin';
import { routeSchemas } from './schemas';

/** Options of `fastifyEventLog`: `eventlog`, `authorize` (required), `scope`, `format`, `onError`. */
export interface FastifyEventLogOptions extends EventLogRouteOptions<FastifyRequest> {
  /** The `EventLogService` (or any `EventLogReader`) the routes read. */
  eventlog: EventLogReader;
}
/** Options of `withObjectLog`: `objectType`, `param`, `authorize` (required), `scope`, ... */
export type FastifyObjectLogOptions = ObjectLogRouteOptions<FastifyRequest>;
/** Options of `fastifyEventLogContext`: `actor`, `requestId`, `metadata`, each a function of `request`. */
export type FastifyEventLogContextOptions = EventLogContextOptions<FastifyRequest>;

// Core validates the raw query string itself, after `authorize`, with the 400 body every
// framework shares; the querystring and params schemas are there to document the routes.
const documentOnly = () => () => true;

function register(
  instance: FastifyInstance,
  route: HttpRoute<FastifyRequest>,
  schema: FastifySchema,
): void {
  const handler: RouteHandlerMethod = async (request, reply) => {
    const url = request.url;
    const q = url.indexOf('?');
    const out = await route.handle({
      params: request.params as Record<string, string | undefined>,
      query: q === -1 ? '' : url.slice(q + 1),
      path: q === -1 ? url : url.slice(0, q),
      headers: request.headers,
      native: request,
    });
    return reply.code(out.status).headers(out.headers ?? {}).send(out.body);
  };
  instance.get(route.path, { schema, validatorCompiler: documentOnly }, handler);
}

/**
 * Fastify plugin with `GET /` (list, filterable and paginated) and `GET /:id` (one entry, 404
 * when absent or outside the caller's scope), each with its JSON schema:
 * `fastify.register(fastifyEventLog, { eventlog, prefix: '/api/eventlogs', authorize })`.
 *
 * @throws ConfigurationError (from `ready()`) when `options.authorize` is missing.
 */
export const fastifyEventLog: FastifyPluginAsync<FastifyEventLogOptions> = async (
  instance,
  { eventlog, ...options },
) => {
  const schemas = routeSchemas(options.format);
  for (const route of createEventLogRoutes(eventlog, options)) {
    register(instance, route, schemas[route.name]);
  }
};

/**
 * Adds `GET /:id/log` (the seed's `EventLogMixin`) to the instance of a plugin registered under
 * the resource's prefix: the log of one object of `options.objectType`, with the list's
 * parameters and pagination. Returns the same instance.
 *
 * @throws ConfigurationError when `options.authorize` or `options.objectType` is missing.
 */
export function withObjectLog(
  instance: FastifyInstance,
  eventlog: EventLogReader,
  options: FastifyObjectLogOptions,
): FastifyInstance {
  const route = createObjectLogRoute(eventlog, options);
  register(instance, route, routeSchemas(options.format, options).objectLog);
  return instance;
}

/**
 * Plugin adding a `preHandler` hook to the whole app (it is not encapsulated), so every
 * `log()` made while handling a request gets the actor, ip (`request.ip`, which honours
 * `trustProxy`), user agent and request id; the request id is echoed in `x-request-id`. The
 * hook runs after body parsing and `onRequest` / `preValidation` authentication, so `actor` can
 * read `request.user`.
 */
export const fastifyEventLogContext = fp<FastifyEventLogContextOptions>(
  (instance, options, done) => {
    instance.addHook('preHandler', (request, reply, next) => {
      requestContextOf(request, { ip: request.ip, headers: request.headers }, options).then(
        (ctx) => {
          if (ctx.requestId !== undefined) reply.header('x-request-id', ctx.requestId);
          runWithContext(ctx, () => next());
        },
        next,
      );
    });
    done();
  },
  { fastify: '5.x', name: '@eventlog/http-fastify/context' },
);
