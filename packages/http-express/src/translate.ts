import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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

/** Writes a neutral response; a stream that fails midway destroys the socket (a cut download). */
export async function send(res: Response, out: HttpResponse): Promise<void> {
  if (out.headers) res.set(out.headers);
  res.status(out.status);
  if (out.stream) await pipeline(Readable.from(out.stream), res).catch(() => undefined);
  else res.json(out.body);
}

/** An Express handler for one core route; core never throws, so no error reaches `next`. */
export function handlerOf(route: HttpRoute<Request>): RequestHandler {
  return async (req, res) => {
    await send(res, await route.handle(toHttpRequest(req)));
  };
}
