import type { HttpRequest, HttpResponse, HttpRoute } from '@eventlog/core/http';
import type { Request, RequestHandler, Response } from 'express';

/**
 * Express request → neutral request. Core gets the raw query string from `originalUrl`, not
 * `req.query`, so the app's `query parser` setting can never change what is accepted.
 */
export function toHttpRequest(req: Request): HttpRequest<Request> {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  return {
    params: req.params as Record<string, string | undefined>,
    query: q === -1 ? '' : url.slice(q + 1),
    path: q === -1 ? url : url.slice(0, q),
    headers: req.headers,
    native: req,
  };
}

/** Writes a neutral response. */
export function send(res: Response, out: HttpResponse): void {
  if (out.headers) res.set(out.headers);
  res.status(out.status).json(out.body);
}

/** An Express handler for one core route; core never throws, so no error reaches `next`. */
export function handlerOf(route: HttpRoute<Request>): RequestHandler {
  return async (req, res) => {
    send(res, await route.handle(toHttpRequest(req)));
  };
}
