import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ObjectLogReader } from '@eventlog/core/http';
import { eventLogViewer as expressViewer } from '@eventlog/http-express';
import { eventLogViewer as fastifyViewer } from '@eventlog/http-fastify';
import { eventLogViewer as honoViewer } from '@eventlog/http-hono';
import { eventLogViewer as koaViewer } from '@eventlog/http-koa';
import { getRequestListener } from '@hono/node-server';
import { Router } from '@koa/router';
import express from 'express';
import Fastify from 'fastify';
import { type Context, Hono } from 'hono';
import Koa from 'koa';

/** Where the viewer is mounted in every test: a nested path, to prove relative links. */
export const MOUNT = '/admin/audit';

/**
 * Staff see everything, auditors only the billing tool, anyone else is refused; the role is the
 * `role` cookie, read from the framework's request by `cookieOf`.
 */
function accessOf<N>(cookieOf: (req: N) => string | undefined, integrity = false) {
  const role = (req: N) => /(?:^|;\s*)role=(\w+)/.exec(cookieOf(req) ?? '')?.[1];
  return {
    authorize: (req: N) => role(req) === 'staff' || role(req) === 'auditor',
    scope: (req: N) => (role(req) === 'auditor' ? { tool: 'billing' } : null),
    title: 'Acme <audit> log',
    // Staff only see the integrity panel, when the mount offers it.
    ...(integrity && { integrity: { authorize: (req: N) => role(req) === 'staff' } }),
  };
}
/** `accessOf` for the frameworks whose request has Node's `headers` (Express, Koa, Fastify). */
const nodeAccess = (integrity = false) =>
  accessOf((req: { headers: { cookie?: string | undefined } }) => req.headers.cookie, integrity);
const access = nodeAccess();

/** A running app with the viewer mounted at `MOUNT`; `base` is the server's origin. */
export interface Mounted {
  base: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<Mounted> {
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function honoMount(service: ObjectLogReader, app: Hono): Promise<Mounted> {
  app.route(
    MOUNT,
    honoViewer(
      service,
      accessOf((c: Context) => c.req.header('cookie')),
    ),
  );
  return listen(createServer(getRequestListener(app.fetch)).listen(0, '127.0.0.1'));
}

/**
 * One way of mounting the viewer: `build` is the framework's `eventLogViewer` (so a scenario can
 * check what it refuses), `mount` serves it at `MOUNT` with `access`.
 */
interface MountDriver {
  build(service: ObjectLogReader, options: never): unknown;
  /** `integrity`: the mount offers the integrity panel (to staff); only Express and Koa do. */
  mount(service: ObjectLogReader, integrity?: boolean): Promise<Mounted>;
}

export const frameworks = {
  express: {
    build: expressViewer,
    mount(service, integrity?: boolean) {
      const app = express();
      app.use(MOUNT, expressViewer(service, nodeAccess(integrity)));
      return listen(app.listen(0, '127.0.0.1'));
    },
  },
  koa: {
    build: koaViewer,
    mount(service, integrity?: boolean) {
      const app = new Koa();
      // Nested under a parent router, as an app with its own routes would mount it.
      const root = new Router();
      const viewer = koaViewer(service, nodeAccess(integrity));
      root.use(MOUNT, viewer.routes(), viewer.allowedMethods());
      app.use(root.routes()).use(root.allowedMethods());
      return listen(app.listen(0, '127.0.0.1'));
    },
  },
  /** Koa with the router's own `prefix` option instead of a parent router. */
  'koa-prefix': {
    build: koaViewer,
    mount(service) {
      const app = new Koa();
      const viewer = koaViewer(service, { ...access, prefix: MOUNT });
      app.use(viewer.routes()).use(viewer.allowedMethods());
      return listen(app.listen(0, '127.0.0.1'));
    },
  },
  fastify: {
    build: fastifyViewer,
    async mount(service) {
      const app = Fastify();
      await app.register(fastifyViewer(service, access), { prefix: MOUNT });
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      return { base: address, close: () => app.close() };
    },
  },
  hono: {
    build: honoViewer,
    mount: (service) => honoMount(service, new Hono()),
  },
  /** Hono with `strict: false`, which strips a trailing slash before routing. */
  'hono-nonstrict': {
    build: honoViewer,
    mount: (service) => honoMount(service, new Hono({ strict: false })),
  },
} satisfies Record<string, MountDriver>;
export type Framework = keyof typeof frameworks;
/** Every mount driver: a scenario written once runs against each. */
export const allFrameworks = Object.keys(frameworks) as Framework[];
