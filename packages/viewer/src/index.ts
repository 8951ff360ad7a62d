/**
 * `@eventlog/viewer`: the built audit-log UI and a framework-neutral description of what to
 * serve. Apps use it through `eventLogViewer` of `@eventlog/http-express` or
 * `@eventlog/http-koa`; framework adapter authors mount `createViewerRoutes`.
 *
 * @packageDocumentation
 */
export { VIEWER_CSP } from './headers';
export {
  createViewerRoutes,
  type ViewerFileRoute,
  type ViewerOptions,
  type ViewerRequest,
  type ViewerResponse,
  type ViewerRoutes,
} from './routes';
