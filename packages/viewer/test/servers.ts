import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventLogReader } from '@eventlog/core/http';
import { eventLogViewer as expressViewer } from '@eventlog/http-express';
import { eventLogViewer as koaViewer } from '@eventlog/http-koa';
import { Router } from '@koa/router';
import express from 'express';
import Koa from 'koa';

/** Where the viewer is mounted in every test: a nested path, to prove relative links. */
export const MOUNT = '/admin/audit';

type WithCookies = { headers: { cookie?: string | undefined } };
const role = (req: WithCookies) => /(?:^|;\s*)role=(\w+)/.exec(req.headers.cookie ?? '')?.[1];

/** Staff see everything, auditors only the billing tool, anyone else is refused. */
export const access = {
  authorize: (req: WithCookies) => role(req) === 'staff' || role(req) === 'auditor',
  scope: (req: WithCookies) => (role(req) === 'auditor' ? { tool: 'billing' } : null),
  title: 'Acme <audit> log',
};

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

export const frameworks = {
  express(service: EventLogReader): Promise<Mounted> {
    const app = express();
    app.use(MOUNT, expressViewer(service, access));
    return listen(app.listen(0, '127.0.0.1'));
  },
  koa(service: EventLogReader): Promise<Mounted> {
    const app = new Koa();
    // Nested under a parent router, as an app with its own routes would mount it.
    const root = new Router();
    const viewer = koaViewer(service, access);
    root.use(MOUNT, viewer.routes(), viewer.allowedMethods());
    app.use(root.routes()).use(root.allowedMethods());
    return listen(app.listen(0, '127.0.0.1'));
  },
  /** Koa with the router's own `prefix` option instead of a parent router. */
  'koa-prefix'(service: EventLogReader): Promise<Mounted> {
    const app = new Koa();
    const viewer = koaViewer(service, { ...access, prefix: MOUNT });
    app.use(viewer.routes()).use(viewer.allowedMethods());
    return listen(app.listen(0, '127.0.0.1'));
  },
};
export type Framework = keyof typeof frameworks;
