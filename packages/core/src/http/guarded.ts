import { ConfigurationError } from '../errors';
import { paramOfField } from './query';
import { badRequest, forbidden, internalError, isValidationError } from './responses';
import type { HttpAccessOptions, HttpRequest, HttpResponse } from './types';

/** @throws ConfigurationError when `options.authorize` is missing (`'public'` must be said). */
export function requireAuthorize(
  options: HttpAccessOptions<never> | undefined,
  where: string,
): void {
  const authorize = options?.authorize;
  if (authorize !== 'public' && typeof authorize !== 'function') {
    throw new ConfigurationError(
      `${where}: an \`authorize(req)\` option is required; pass authorize: 'public' to expose the event log to everyone`,
    );
  }
}

/**
 * Runs one request through authorize → handler, turning every failure into a response:
 * `ValidationError` → 400, anything else → a generic 500 reported to `onError`.
 */
export function guarded<N>(
  options: HttpAccessOptions<N>,
  handler: (req: HttpRequest<N>, style: { current: 'cursor' | 'page' }) => Promise<HttpResponse>,
): (req: HttpRequest<N>) => Promise<HttpResponse> {
  return async (req) => {
    const style = { current: 'cursor' as 'cursor' | 'page' };
    try {
      if (options.authorize !== 'public' && (await options.authorize(req.native)) !== true) {
        return forbidden();
      }
      return await handler(req, style);
    } catch (error) {
      if (isValidationError(error)) return badRequest(error, (f) => paramOfField(f, style.current));
      options.onError?.(error, req.native);
      return internalError();
    }
  };
}
