import { ConfigurationError, ValidationError } from '../errors';
import type { IntegrityStatus } from '../integrity/status';
import { guarded } from './guarded';
import { ok } from './responses';
import type { AuthorizeResult, EventLogReader, EventLogRouteOptions, HttpRoute } from './types';

/** The integrity status as the route answers it: instants as ISO 8601 strings. */
export function integrityBody(status: IntegrityStatus): unknown {
  return {
    ok: status.ok,
    at: status.at.toISOString(),
    partitions: status.partitions.map(({ checkpoint, ...partition }) => ({
      ...partition,
      checkpoint: checkpoint && { seq: checkpoint.seq, at: checkpoint.at.toISOString() },
    })),
  };
}

const allows = async <N>(
  authorize: ((req: N) => AuthorizeResult) | 'public',
  req: N,
): Promise<boolean> => authorize === 'public' || (await authorize(req)) === true;

/**
 * `GET /integrity`: the integrity status of `service`, when `options.integrity` turns it on (null
 * otherwise). Both the router's `authorize` and the integrity one must accept the request; it
 * takes no parameter.
 *
 * @throws ConfigurationError when `integrity` has no `authorize`, or `service` cannot tell its
 * integrity status.
 */
export function createIntegrityRoute<N>(
  service: EventLogReader,
  options: EventLogRouteOptions<N>,
): HttpRoute<N> | null {
  const integrity = options.integrity;
  if (integrity === undefined) return null;
  const own = integrity?.authorize;
  if (own !== 'public' && typeof own !== 'function') {
    throw new ConfigurationError(
      "eventLogRouter: `integrity.authorize(req)` is required to serve the integrity status (or 'public')",
    );
  }
  const status = service.integrityStatus?.bind(service);
  if (status === undefined) {
    throw new ConfigurationError(
      'eventLogRouter: `integrity` needs a service with integrityStatus() (an EventLogService)',
    );
  }
  const authorize = async (req: N) =>
    (await allows(options.authorize, req)) && (await allows(own, req));
  return {
    name: 'integrity',
    method: 'GET',
    path: '/integrity',
    handle: guarded({ ...options, authorize }, async (req) => {
      const [param] = new URLSearchParams(req.query).keys();
      if (param !== undefined) {
        throw ValidationError.field(param.slice(0, 64), 'is not a known parameter');
      }
      return ok(integrityBody(await status()));
    }),
  };
}
