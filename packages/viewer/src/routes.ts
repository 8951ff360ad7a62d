import { ConfigurationError } from '@eventlog/core';
import {
  createEventLogRoutes,
  type EventLogRouteOptions,
  type HttpAccessOptions,
  type HttpRoute,
  type ObjectLogReader,
} from '@eventlog/core/http';
import { builtUi } from './assets';
import { assetHeaders, PAGE_HEADERS, TEXT_HEADERS } from './headers';
import { anyObjectStateRoute } from './state-route';

/**
 * Options of `eventLogViewer`: who may see the page and its data, the page title, and who may
 * see the integrity panel (`integrity`, off unless given: see `EventLogRouteOptions.integrity`).
 */
export interface ViewerOptions<N = unknown>
  extends Omit<HttpAccessOptions<N>, 'format'>,
    Pick<EventLogRouteOptions<N>, 'integrity'> {
  /** Shown in the page title and heading; default `'Audit log'`. Plain text, never HTML. */
  title?: string;
}

/** A framework-neutral request for the page or an asset. */
export interface ViewerRequest<N = unknown> {
  /** The absolute request path, mount prefix included (`/admin/audit/`). */
  path: string;
  /** The raw query string without `?`. */
  query: string;
  /** The framework's request (Express `req`, Koa `ctx`), handed to `authorize`. */
  native: N;
}

/** A response with a raw body: the adapter writes `body` as is, with exactly these headers. */
export interface ViewerResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string | Uint8Array;
}

/** One page or asset route; `path` is relative to the mount, in Express / `@koa/router` style. */
export interface ViewerFileRoute<N = unknown> {
  name: 'page' | 'asset';
  method: 'GET';
  path: string;
  /** Never throws. */
  handle(req: ViewerRequest<N>): Promise<ViewerResponse>;
}

/**
 * Everything a framework adapter mounts for the viewer, at any base path:
 * `files` (the page at `/`, the hashed assets under `/assets/`) with raw bodies, and `api`
 * (the JSON list, entry and OpenAPI routes the page calls, and the state of any object), each to be registered under
 * `apiPrefix`. The page and the API share `authorize` and `scope`, so they are refused together.
 */
export interface ViewerRoutes<N = unknown> {
  files: ViewerFileRoute<N>[];
  apiPrefix: '/api';
  api: HttpRoute<N>[];
}

/**
 * The unfiltered view's first page, fetched by the browser beside the script (the page uses this
 * link's URL for it): the API answer no longer waits for the script to be fetched and run.
 */
const PRELOAD_FIRST_PAGE =
  '<link rel="preload" id="first-page" href="api/?limit=50&amp;with_count=true" as="fetch" crossorigin>';

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const text = (status: number, body: string): ViewerResponse => ({
  status,
  headers: TEXT_HEADERS,
  body,
});

/**
 * Builds the viewer's route table over `service` (an `EventLogService`). Reads the built UI once.
 *
 * @throws ConfigurationError when `options.authorize` is missing (say `'public'` on purpose) or
 * the UI has not been built.
 */
export function createViewerRoutes<N>(
  service: ObjectLogReader,
  options: ViewerOptions<N>,
): ViewerRoutes<N> {
  const { title = 'Audit log', ...access } = options ?? ({} as ViewerOptions<N>);
  if (access.authorize !== 'public' && typeof access.authorize !== 'function') {
    throw new ConfigurationError(
      "eventLogViewer: an `authorize(req)` option is required; pass authorize: 'public' to show the event log to everyone",
    );
  }
  const ui = builtUi();
  const titled = ui.html.replaceAll('%TITLE%', escapeHtml(title));
  // The page asks for the integrity status only when this reader may see it.
  const html = {
    on: titled.replace('%INTEGRITY%', 'on'),
    off: titled.replace('%INTEGRITY%', 'off'),
  };
  const integrity = access.integrity?.authorize;
  const seesIntegrity = async (native: N) =>
    integrity !== undefined && (integrity === 'public' || (await integrity(native)) === true);
  const page: ViewerFileRoute<N> = {
    name: 'page',
    method: 'GET',
    path: '/',
    async handle(req) {
      // The page links its assets and API relatively, so it must be addressed as a folder.
      if (!req.path.endsWith('/')) {
        // One leading slash only: `//host` would send the browser to another site.
        const path = `/${req.path.replace(/^[/\\]+/, '')}`;
        const location = `${path}/${req.query ? `?${req.query}` : ''}`;
        return { status: 308, headers: { ...TEXT_HEADERS, location }, body: '' };
      }
      try {
        if (access.authorize !== 'public' && (await access.authorize(req.native)) !== true) {
          return text(403, 'You may not read this event log.');
        }
        const page = (await seesIntegrity(req.native)) ? html.on : html.off;
        const body = page.replace('%PRELOAD%', req.query === '' ? PRELOAD_FIRST_PAGE : '');
        return { status: 200, headers: PAGE_HEADERS, body };
      } catch (error) {
        access.onError?.(error, req.native);
        return text(500, 'The event log could not be read.');
      }
    },
  };
  const files: ViewerFileRoute<N>[] = [page];
  for (const [path, asset] of ui.assets) {
    const response = { status: 200, headers: assetHeaders(asset.contentType), body: asset.body };
    // Code and styles only, no log data: served without `authorize`, so they cache publicly.
    files.push({ name: 'asset', method: 'GET', path: `/${path}`, handle: async () => response });
  }
  const api = [...createEventLogRoutes(service, access), anyObjectStateRoute(service, access)];
  return { files, apiPrefix: '/api', api };
}
