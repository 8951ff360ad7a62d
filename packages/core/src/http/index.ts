export {
  type EventLogJson,
  eventLogJsonSchema,
  type PageBody,
  type SeedEventLog,
  seedEventLogSchema,
  toEventLogJson,
  toSeedEventLog,
} from './format';
export {
  createEventLogRoutes,
  createObjectLogRoute,
  createObjectLogRoutes,
  createObjectStateRoute,
} from './handlers';
export { openApiDocument } from './openapi';
export {
  HTTP_MAX_LIMIT,
  HTTP_MAX_PAGE,
  HTTP_MAX_REPEATS,
  type HttpListParam,
  httpListQuerySchema,
  type ParsedListQuery,
  parseListQuery,
} from './query';
export {
  type ConnectionInfo,
  type EventLogContextOptions,
  requestContextOf,
} from './request-context';
export type { HttpErrorBody, HttpIssue } from './responses';
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
