import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { EventLogContext } from '../context';
import type { JsonObject } from '../schemas';

/** Options of the `eventLogContext` middleware of every framework package. */
export interface EventLogContextOptions<N = unknown> {
  /** The acting user (or `{ id, label }`) of the request; `undefined` when anonymous. */
  actor?: (req: N) => unknown;
  /**
   * The request id. Default: the `x-request-id` header when it is a sane token (1–200 visible
   * ASCII characters), else a random UUID. Returning `undefined` falls back to the default.
   */
  requestId?: (req: N) => string | undefined;
  /** Extra metadata stored with every entry logged during the request. */
  metadata?: (req: N) => JsonObject | undefined;
}

/** What the framework adapter knows about the connection. */
export interface ConnectionInfo {
  /** Client address as the framework computes it (proxy headers only when the app trusts them). */
  ip: string | undefined;
  headers: IncomingHttpHeaders;
}

const SANE_ID = /^[\x21-\x7e]{1,200}$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Builds the request context every `log()` of the request inherits. Awaits `actor` so it may
 * load the user lazily.
 */
export async function requestContextOf<N>(
  native: N,
  connection: ConnectionInfo,
  options: EventLogContextOptions<N> = {},
): Promise<EventLogContext> {
  const fromHeader = header(connection.headers, 'x-request-id');
  const requestId =
    options.requestId?.(native) ??
    (fromHeader !== undefined && SANE_ID.test(fromHeader) ? fromHeader : randomUUID());
  const actor = await options.actor?.(native);
  const userAgent = header(connection.headers, 'user-agent');
  const metadata = options.metadata?.(native);
  return {
    requestId,
    ...(actor !== undefined && actor !== null && { actor }),
    ...(connection.ip !== undefined && connection.ip !== '' && { ip: connection.ip }),
    ...(userAgent !== undefined && { userAgent }),
    ...(metadata !== undefined && { metadata }),
  };
}
