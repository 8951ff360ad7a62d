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
  routeJsonSchemas,
  runWithContext,
} from '@eventlog/core/http';
import { createViewerRoutes, type ViewerOptions } from '@eventlog/viewer';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest, FastifySchema } from 'fastify';
import fp from 'fastify-plugin';

/** Options of `fastifyEventLog`: `eventlog`, `authorize` (required), `scope`, `format`, `onError`. */
export interface FastifyEventLogOptions extends EventLogRouteOptions<FastifyRequest> {
  /** The `EventLogService` (or any `EventLogReader`) the routes read. */
  eventlog: EventLogReader;
}
/** Options of `withObjectLog`: `objectType`, `param`, `authorize` (required), `scope`, ... */
export type FastifyObjectLogOptions = ObjectLogRouteOptions<FastifyRequest>;
/** Options of `fastifyEventLogContext`: `actor`, `requestId`, `metadata` (functions of `request`). */
export type FastifyEventLogContextOptions = EventLogContextOptions<FastifyRequest>;
/** Options of `eventLogViewer`: `authorize` (required), `scope`, `title`, `onError`. */
export type FastifyEventLogViewerOptions = ViewerOptions<FastifyRequest>;

// Core validates the raw query string itself, after `authorize`, with the 400 body every
// framework shares; the querystring and params schemas only document the routes.
const documentOnly = () => () => true;

// `hide` is @fastify/swagger's schema keyword for a route left out of the document.
const hidden: FastifySchema & { hide: boolean } = { hide: true };

const splitUrl = (url: string) => {
  const q = url.indexOf('?');
  return { path: q === -1 ? url : url.slice(0, q), query: q === -1 ? '' : url.slice(q + 1) };
};

function register(i: FastifyInstance, route: HttpRoute<FastifyRequest>, schema: FastifySchema) {
  i.get(route.path, { schema, validatorCompiler: documentOnly }, async (request, reply) => {
    const params = request.params as Record<string, string | undefined>;
    const { headers } = request;
    const out = await route.handle({ params, ...splitUrl(request.url), headers, native: request });
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
  const schemas = routeJsonSchemas(options.format);
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
  const schemas = routeJsonSchemas(options.format, { ...options, path });
  for (const route of createObjectLogRoutes(eventlog, options)) {
    register(instance, route, schemas[route.name as 'objectLog' | 'objectState']);
  }
  return instance;
}

/**
 * A plugin serving the audit-log viewer at the prefix it is registered under: the page (`GET /`,
 * under a strict Content-Security-Policy), its hashed assets (`/assets/…`, cached for good) and
 * the API the page calls (`/api/…`, the routes of `fastifyEventLog`). The page and the API answer
 * 403 together when `authorize` refuses, and the API applies `scope`:
 * `fastify.register(eventLogViewer(eventlog, { authorize }), { prefix: '/admin/audit' })`.
 *
 * @throws ConfigurationError when `options.authorize` is missing (say `'public'` on purpose).
 */
export function eventLogViewer(
  service: ObjectLogReader,
  options: FastifyEventLogViewerOptions,
): FastifyPluginAsync {
  const { files, apiPrefix, api } = createViewerRoutes(service, options);
  return async (instance) => {
    for (const file of files) {
      instance.get(file.path, { schema: hidden }, async (request, reply) => {
        const out = await file.handle({ ...splitUrl(request.url), native: request });
        const { body } = out;
        const raw =
          typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.length);
        return reply.code(out.status).headers(out.headers).send(raw);
      });
    }
    for (const route of api)
      register(instance, { ...route, path: `${apiPrefix}${route.path}` }, hidden);
  };
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
