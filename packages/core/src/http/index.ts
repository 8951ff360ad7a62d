/**
 * `@eventlog/core/http`, for framework adapter authors.
 *
 * {@link createEventLogRoutes} and {@link createObjectLogRoute} return a route table of pure
 * handlers: `(HttpRequest) → Promise<HttpResponse>`. A framework package mounts each
 * {@link HttpRoute}, translates the framework's request into an {@link HttpRequest} and the
 * response back, and runs each request inside {@link runWithContext} with the context
 * {@link requestContextOf} builds, so every `log()` of the request knows its actor.
 *
 * @module
 */
export { type EventLogContext, runWithContext } from '../context';
export type { EventLogJson, PageBody, SeedEventLog } from './format';
export {
  createEventLogRoutes,
  createObjectLogRoute,
  createObjectLogRoutes,
  createObjectStateRoute,
} from './handlers';
export { openApiDocument } from './openapi';
export {
  type ConnectionInfo,
  type EventLogContextOptions,
  requestContextOf,
} from './request-context';
export type { HttpErrorBody, HttpIssue } from './responses';
export { type RouteJsonSchema, routeJsonSchemas } from './route-schemas';
export type {
  AuthorizeResult,
  EventLogReader,
  EventLogRouteOptions,
  HttpAccessOptions,
  HttpRequest,
  HttpResponse,
  HttpRoute,
  ObjectLogReader,
  ObjectLogRouteOptions,
  OpenApiOptions,
  ResponseFormat,
  ScopeFilter,
} from './types';
