import {
  createObjectStateRoute,
  type HttpAccessOptions,
  type HttpRoute,
  type ObjectLogReader,
} from '@eventlog/core/http';

/**
 * `GET /objects/:type/:id/state?at=<ISO>|entry=<id>`: the state route of `withObjectLog` for an
 * object of any type, which the page's per-object history calls. The same handler answers, with
 * the same `authorize` and `scope`: a scope narrower than whole objects hides every state (404).
 */
export function anyObjectStateRoute<N>(
  service: ObjectLogReader,
  access: HttpAccessOptions<N>,
): HttpRoute<N> {
  const byType = new Map<string, HttpRoute<N>>();
  return {
    name: 'objectState',
    method: 'GET',
    path: '/objects/:type/:id/state',
    handle(req) {
      // A router matches no empty segment, so `type` is never empty here.
      const objectType = req.params.type ?? '';
      let route = byType.get(objectType);
      if (route === undefined) {
        route = createObjectStateRoute(service, { ...access, objectType });
        // The routes of the types last asked for: a bounded memo, never a leak.
        if (byType.size >= 100) byType.clear();
        byType.set(objectType, route);
      }
      return route.handle(req);
    },
  };
}
