import { Readable } from 'node:stream';
import type { HttpRequest, HttpRoute } from '@eventlog/core/http';
import type { RouterContext, RouterMiddleware } from '@koa/router';

/**
 * Koa context → neutral request. Core gets the raw query string, not `ctx.query`, so Koa's
 * querystring parsing never changes what is accepted; the path is taken from `originalUrl` so
 * links keep any prefix a parent router or `koa-mount` stripped.
 */
export function toHttpRequest(ctx: RouterContext): HttpRequest<RouterContext> {
  const url = ctx.originalUrl;
  const q = url.indexOf('?');
  return {
    params: ctx.params,
    query: ctx.querystring,
    path: q === -1 ? url : url.slice(0, q),
    headers: ctx.headers,
    native: ctx,
  };
}

/** A Koa middleware for one core route; core never throws, so nothing reaches Koa's handler. */
export function handlerOf(route: HttpRoute<RouterContext>): RouterMiddleware {
  return async (ctx) => {
    const out = await route.handle(toHttpRequest(ctx));
    if (out.headers) ctx.set(out.headers);
    ctx.status = out.status;
    // Koa pipes a stream and destroys the socket when it errors (a cut download).
    ctx.body = out.stream ? Readable.from(out.stream) : out.body;
  };
}
