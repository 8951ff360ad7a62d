import type { IncomingHttpHeaders, RequestListener } from 'node:http';
import type { EventLogService } from '@eventlog/core';
import type { EventLogRouteOptions, ResponseFormat, ScopeFilter } from '@eventlog/core/http';
import type { EventLogStorage } from '@eventlog/core/storage';

/**
 * What the suite's `authorize`, `scope` and `actor` functions read from the framework's
 * request: Express `req`, Koa `ctx` and Fastify `request` have `headers` and `params`; a driver
 * whose framework spells them otherwise (Hono's `c.req`) hands the suite this view.
 */
export interface ContractNative {
  headers: IncomingHttpHeaders;
  params: Record<string, string | string[] | undefined>;
}

/** Access options the suite hands to the framework's `eventLogRouter` / `withObjectLog`. */
export interface ContractAccess {
  authorize: ((req: ContractNative) => boolean | Promise<boolean>) | 'public';
  scope?: (
    req: ContractNative,
  ) => ScopeFilter | null | undefined | Promise<ScopeFilter | null | undefined>;
  format?: ResponseFormat;
  onError?: (error: unknown) => void;
  /** What the router's `GET /openapi.json` describes beyond its own routes. */
  openApi?: EventLogRouteOptions['openApi'];
  /** Turns the router's `GET /integrity` on, behind this `authorize` as well. */
  integrity?: { authorize: ((req: ContractNative) => boolean | Promise<boolean>) | 'public' };
}

/** Everything one app built by `mount` must expose. */
export interface ContractApp {
  service: EventLogService;
  /** Where `eventLogRouter(service, router)` is mounted: `''` (the root) or e.g. `/api/eventlogs`. */
  basePath: string;
  router: ContractAccess;
  /**
   * `withObjectLog(itemsRouter, service, { ...objectLog.access, objectType, param })`, with the
   * items router mounted at `objectLog.resourcePath` (e.g. `/items`).
   */
  objectLog: { resourcePath: string; objectType: string; param: string; access: ContractAccess };
  /** Options of `eventLogContext`, mounted before every route. */
  context: { actor: (req: Pick<ContractNative, 'headers'>) => unknown };
  /**
   * `GET /probe` (after `eventLogContext`): answers 200 with `await probe()` as JSON. The suite
   * uses it to check that the request context survives awaits.
   */
  probe: () => Promise<unknown>;
}

/** What a framework package passes to `runHttpContract`. */
export interface HttpContractOptions {
  /** Suite title, e.g. `"express"`. */
  name: string;
  /**
   * The framework's driver: builds the app (context middleware, probe route, event log router,
   * items router with the object log) and returns its request listener (Express `app`, Koa
   * `app.callback()`, Fastify's `routing` after `ready()`, Hono through `@hono/node-server`).
   * Must throw (or reject with) what the framework package throws for a missing `authorize`.
   */
  mount(app: ContractApp): RequestListener | Promise<RequestListener>;
  /**
   * A fresh, empty storage per app, with its cleanup. Default: core's `memoryStorage()`, since
   * the contract is about the framework package, not the storage (each storage adapter runs the
   * storage conformance suite).
   */
  createStorage?(): Promise<{ storage: EventLogStorage; close(): Promise<void> }>;
}
