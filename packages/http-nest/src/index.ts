import { Readable } from 'node:stream';
import {
  createEventLogRoutes,
  createObjectLogRoutes,
  type EventLogContextOptions,
  type EventLogRouteOptions,
  type HttpRoute,
  type ObjectLogReader,
  type ObjectLogRouteOptions,
  requestContextOf,
  runWithContext,
} from '@eventlog/core/http';
import {
  type CallHandler,
  Controller,
  type DynamicModule,
  type ExecutionContext,
  Get,
  Inject,
  Module,
  type NestInterceptor,
  Req,
  Res,
  StreamableFile,
  type Type,
} from '@nestjs/common';
import { APP_INTERCEPTOR, HttpAdapterHost } from '@nestjs/core';
import { from, mergeMap, Observable } from 'rxjs';

/** What the adapter reads from the platform's request (Express `req`, Fastify `request`). */
export interface NestRequestLike {
  url: string;
  originalUrl?: string;
  params?: unknown;
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
}

/** One per-object log route, `GET <path>/:param/log` (the seed's `EventLogMixin`). */
export interface NestObjectLogOptions<R = NestRequestLike> extends ObjectLogRouteOptions<R> {
  /** The resource's path, e.g. `'items'`. */
  path: string;
}

/** Options of `EventLogModule.forRoot`. */
export interface EventLogModuleOptions<R = NestRequestLike> extends EventLogRouteOptions<R> {
  /** The `EventLogService` (or any `ObjectLogReader`) the routes read. */
  eventlog: ObjectLogReader;
  /** Where the list and single-entry routes live; default `'eventlogs'`. */
  path?: string;
  /** Per-object log routes. */
  objectLogs?: readonly NestObjectLogOptions<R>[];
  /** When given, registers `EventLogContextInterceptor` with these options for the whole app. */
  context?: EventLogContextOptions<R>;
}

// Decorators are applied as calls, so the package's source compiles with any TypeScript
// setup, legacy decorators or not.

/** One controller class serving `routes` under `path`. */
function controllerOf(path: string, routes: readonly HttpRoute<NestRequestLike>[]): Type {
  class EventLogController {
    constructor(readonly host: HttpAdapterHost) {}
  }
  Inject(HttpAdapterHost)(EventLogController, undefined, 0);
  Controller(path)(EventLogController);
  for (const route of routes) {
    const name = route.name;
    const method = async function (this: EventLogController, req: NestRequestLike, res: unknown) {
      const url = req.originalUrl ?? req.url;
      const q = url.indexOf('?');
      const out = await route.handle({
        params: (req.params ?? {}) as Record<string, string | undefined>,
        query: q === -1 ? '' : url.slice(q + 1),
        path: q === -1 ? url : url.slice(0, q),
        headers: req.headers,
        native: req,
      });
      const adapter = this.host.httpAdapter;
      for (const [k, v] of Object.entries(out.headers ?? {})) adapter.setHeader(res, k, v);
      // Both platforms pipe a StreamableFile; the headers set above name its type.
      const body = out.stream ? new StreamableFile(Readable.from(out.stream)) : out.body;
      adapter.reply(res, body, out.status);
    };
    Object.defineProperty(EventLogController.prototype, name, { value: method });
    const descriptor = Object.getOwnPropertyDescriptor(EventLogController.prototype, name);
    Get(route.path.replace(/^\//, ''))(EventLogController.prototype, name, descriptor as never);
    Req()(EventLogController.prototype, name, 0);
    Res()(EventLogController.prototype, name, 1);
  }
  return EventLogController;
}

/**
 * Interceptor running the handler inside the core request context, so every `log()` made while
 * handling the request gets the actor, ip (`req.ip`, which honours the platform's proxy
 * setting), user agent and request id; the request id is echoed in `x-request-id`. It runs
 * after guards, so `actor` can read what an auth guard put on the request (`req.user`).
 */
export class EventLogContextInterceptor<R = NestRequestLike> implements NestInterceptor {
  constructor(private readonly options: EventLogContextOptions<R> = {}) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<NestRequestLike>();
    const res = context.switchToHttp().getResponse<{ header(k: string, v: string): unknown }>();
    const connection = { ip: req.ip, headers: req.headers };
    return from(requestContextOf(req as R, connection, this.options)).pipe(
      mergeMap((ctx) => {
        if (ctx.requestId !== undefined) res.header('x-request-id', ctx.requestId);
        // Subscribing inside the context: Nest binds the handler to the context it is called in.
        return new Observable((sub) => runWithContext(ctx, () => next.handle().subscribe(sub)));
      }),
    );
  }
}

/**
 * `EventLogModule.forRoot({ eventlog, authorize, path? })` serves `GET /<path>` (list,
 * filterable and paginated) and `GET /<path>/:id` (one entry, 404 when absent or outside the
 * caller's scope); `path` defaults to `'eventlogs'`, under the app's global prefix if any.
 */
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest module is a class; forRoot is the convention.
export class EventLogModule {
  /**
   * @throws ConfigurationError when `authorize` (of the routes or of an object log) or an
   * object log's `objectType` is missing.
   */
  static forRoot<R = NestRequestLike>(options: EventLogModuleOptions<R>): DynamicModule {
    const { eventlog, path = 'eventlogs', objectLogs = [], context, ...routeOptions } = options;
    const routes = createEventLogRoutes(eventlog, routeOptions) as HttpRoute<NestRequestLike>[];
    const controllers = [controllerOf(path, routes)];
    for (const { path: resource, ...objectLog } of objectLogs) {
      const routes = createObjectLogRoutes(eventlog, objectLog) as HttpRoute<NestRequestLike>[];
      controllers.push(controllerOf(resource, routes));
    }
    const interceptor = context && new EventLogContextInterceptor(context);
    return {
      module: EventLogModule,
      controllers,
      providers: interceptor ? [{ provide: APP_INTERCEPTOR, useValue: interceptor }] : [],
    };
  }
}
Module({})(EventLogModule);
