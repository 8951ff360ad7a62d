import { Readable } from 'node:stream';
import {
  createEventLogRoutes,
  createObjectLogRoutes,
  type EventLogContextOptions,
  type EventLogReader,
  type EventLogRouteOptions,
  type HttpRoute,
  type ObjectLogReader,
  type ObjectLogRouteOptions,
  requestContextOf,
  runWithContext,
} from '@eventlog/core';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest, FastifySchema } from 'fastify';
import fp from 'fastify-plugin';
import { routeSchemas } from './schemas';

/** Options of `fastifyEventLog`: `eventlog`, `authorize` (required), `scope`, `format`, `onError`. */
export interface FastifyEventLogOptions extends EventLogRouteOptions<FastifyRequest> {
  /** The `EventLogService` (or any `EventLogReader`) the routes read. */
  eventlog: EventLogReader;
}
/** Options of `withObjectLog`: `objectType`, `param`, `authorize` (required), `scope`, ... */
export type FastifyObjectLogOptions = ObjectLogRouteOptions<FastifyRequest>;
/** Options of `fastifyEventLogContext`: `actor`, `requestId`, `metadata` (functions of `request`). */
export type FastifyEventLogContextOptions = EventLogContextOptions<FastifyRequest>;

// Core validates the raw query string itself, after `authorize`, with the 400 body every
// framework shares; the querystring and params schemas only document the routes.
const documentOnly = () => () => true;

// `hide` is @fastify/swagger's schema keyword for a route left out of the document.
const hidden: FastifySchema & { hide: boolean } = { hide: true };

function register(
  i: FastifyInstance,
  route: HttpRoute<FastifyRequest>,
  schema: FastifySchema = {},
) {
  i.get(route.path, { schema, validatorCompiler: documentOnly }, async (request, reply) => {
    const url = request.url;
    const q = url.indexOf('?');
    const out = await route.handle({
      params: request.params as Record<string, string | undefined>,
      query: q === -1 ? '' : url.slice(q + 1),
      path: q === -1 ? url : url.slice(0, q),
      headers: request.headers,
      native: request,
    });
    reply.code(out.status).headers(out.headers ?? {});
    return reply.send(out.stream ? Readable.from(out.stream) : out.body);
  });
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
    // The document route serves the OpenAPI document itself: kept out of the one it serves
    // (`hide` is how @fastify/swagger leaves a route out).
    register(instance, route, route.name === 'openapi' ? hidden : schemas[route.name]);
  }
};

/**
 * Adds `GET /:id/log` (the seed's `EventLogMixin`: one object's log, with the list's parameters)
 * to the instance of a plugin registered under the resource's prefix; returns the instance.
 *
 * @throws ConfigurationError when `options.authorize` or `options.objectType` is missing.
 */
export function withObjectLog(
  instance: FastifyInstance,
  eventlog: ObjectLogReader,
  options: FastifyObjectLogOptions,
): FastifyInstance {
  // The prefix the plugin is registered under names the operation, as in the app's document.
  const path = instance.prefix;
  const schemas = routeSchemas(options.format, { ...options, path });
  for (const route of createObjectLogRoutes(eventlog, options)) {
    register(instance, route, schemas[route.name as 'objectLog' | 'objectState']);
  }
  return instance;
}

/**
 * Plugin adding a `preHandler` hook to the whole app (not encapsulated): every `log()` made while
 * handling a request gets its actor, ip (`request.ip`: `trustProxy` applies), user agent and
 * request id (echoed in `x-request-id`). It runs after auth hooks, so `actor` sees `request.user`.
 */
export const fastifyEventLogContext = fp<FastifyEventLogContextOptions>(
  async (instance, options) => {
    instance.addHook('preHandler', (request, reply, next) => {
      const connection = { ip: request.ip, headers: request.headers };
      requestContextOf(request, connection, options).then((ctx) => {
        if (ctx.requestId !== undefined) reply.header('x-request-id', ctx.requestId);
        runWithContext(ctx, () => next());
      }, next);
    });
  },
  { fastify: '5.x', name: '@eventlog/http-fastify/context' },
);
