import type { ObjectLogReader } from '@eventlog/core/http';
import { createViewerRoutes, type ViewerOptions } from '@eventlog/viewer';
import { Router, type RouterContext } from '@koa/router';
import { handlerOf, toHttpRequest } from './translate';

/** Options of `eventLogViewer`: `authorize` (required), `scope`, `title`, `onError`, `prefix`. */
export interface KoaEventLogViewerOptions extends ViewerOptions<RouterContext> {
  /** Router prefix, e.g. `/admin/audit`. */
  prefix?: string;
}

/**
 * A `@koa/router` router serving the audit-log viewer at its root (`GET /`, a page under a strict
 * Content-Security-Policy), its hashed assets (`/assets/…`, cached for good) and the API the page
 * calls (`/api/…`, the routes of `eventLogRouter`). The page and the API answer 403 together when
 * `authorize` refuses, and the API applies `scope`. Mount it at any path:
 * `app.use(eventLogViewer(service, { prefix: '/admin/audit', authorize }).routes())`.
 *
 * @throws ConfigurationError when `options.authorize` is missing (say `'public'` on purpose).
 */
export function eventLogViewer(
  service: ObjectLogReader,
  options: KoaEventLogViewerOptions,
): Router {
  const { prefix, ...viewerOptions } = options;
  const { files, apiPrefix, api } = createViewerRoutes(service, viewerOptions);
  const router = new Router(prefix === undefined ? {} : { prefix });
  for (const file of files) {
    router.get(file.path, async (ctx) => {
      const { path, query } = toHttpRequest(ctx);
      const out = await file.handle({ path, query, native: ctx });
      ctx.status = out.status;
      ctx.set(out.headers);
      const body = out.body;
      ctx.body =
        typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.length);
    });
  }
  for (const route of api) router.get(`${apiPrefix}${route.path}`, handlerOf(route));
  return router;
}
