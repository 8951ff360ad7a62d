import type { ContractAccess, ContractNative } from '@eventlog/conformance/http';
import { runHttpContract } from '@eventlog/conformance/http';
import { getRequestListener } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono } from 'hono';
import {
  eventLogContext,
  eventLogRoutes,
  type HonoEventLogRouteOptions,
  withObjectLog,
} from '../src/index';

// The suite's functions read `headers` and `params`; Hono keeps them behind `c.req`.
const view = (c: Context): ContractNative => ({ headers: c.req.header(), params: c.req.param() });
// Invalid `authorize` values pass through untouched: core must still refuse them.
const onHono = ({
  authorize,
  scope,
  integrity,
  ...rest
}: ContractAccess): HonoEventLogRouteOptions => ({
  ...rest,
  authorize: typeof authorize === 'function' ? (c) => authorize(view(c)) : authorize,
  ...(scope && { scope: (c: Context) => scope(view(c)) }),
  ...(integrity && {
    integrity: { authorize: onHono({ authorize: integrity.authorize }).authorize },
  }),
});

runHttpContract({
  name: 'hono',
  mount(spec) {
    // Hono is strict about trailing slashes by default: `/api/eventlogs/` needs `strict: false`.
    const app = new Hono({ strict: false });
    app.use(eventLogContext({ actor: (c) => spec.context.actor(view(c)), getConnInfo }));
    app.get('/probe', async (c) => c.json(await spec.probe()));
    app.route(spec.basePath || '/', eventLogRoutes(spec.service, onHono(spec.router)));
    const items = withObjectLog(new Hono(), spec.service, {
      ...onHono(spec.objectLog.access),
      objectType: spec.objectLog.objectType,
      param: spec.objectLog.param,
    });
    app.route(spec.objectLog.resourcePath, items);
    return getRequestListener(app.fetch);
  },
});
