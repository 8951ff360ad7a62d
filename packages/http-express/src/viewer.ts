import type { ObjectLogReader } from '@eventlog/core/http';
import { createViewerRoutes, type ViewerOptions } from '@eventlog/viewer';
import { type Request, Router } from 'express';
import { handlerOf, toHttpRequest } from './translate';

/** Options of `eventLogViewer`: `authorize` (required), `scope`, `title`, `onError`. */
export type ExpressEventLogViewerOptions = ViewerOptions<Request>;

/**
 * An Express `Router` serving the audit-log viewer at its root (`GET /`, a page under a strict
 * Content-Security-Policy), its hashed assets (`/assets/…`, cached for good) and the API the page
 * calls (`/api/…`, the routes of `eventLogRouter`). The page and the API answer 403 together when
 * `authorize` refuses, and the API applies `scope`. Mount it at any path:
 * `app.use('/admin/audit', eventLogViewer(service, { authorize }))`.
 *
 * @throws ConfigurationError when `options.authorize` is missing (say `'public'` on purpose).
 */
export function eventLogViewer(
  service: ObjectLogReader,
  options: ExpressEventLogViewerOptions,
): Router {
  const { files, apiPrefix, api } = createViewerRoutes(service, options);
  const router = Router();
  for (const file of files) {
    router.get(file.path, async (req, res) => {
      const { path, query } = toHttpRequest(req);
      const out = await file.handle({ path, query, native: req });
      res.status(out.status).set(out.headers).end(out.body);
    });
  }
  for (const route of api) router.get(`${apiPrefix}${route.path}`, handlerOf(route));
  return router;
}
