import { runHttpContract } from '@eventlog/conformance/http';
import { Router } from '@koa/router';
import Koa from 'koa';
import { eventLogContext, eventLogRouter, withObjectLog } from '../src/index';

runHttpContract({
  name: 'koa',
  mount(spec) {
    const app = new Koa();
    app.use(eventLogContext({ actor: spec.context.actor }));
    const root = new Router();
    root.get('/probe', async (ctx) => {
      ctx.body = await spec.probe();
    });
    const log = eventLogRouter(spec.service, {
      ...spec.router,
      ...(spec.basePath && { prefix: spec.basePath }),
    });
    const items = new Router({ prefix: spec.objectLog.resourcePath });
    withObjectLog(items, spec.service, {
      ...spec.objectLog.access,
      objectType: spec.objectLog.objectType,
      param: spec.objectLog.param,
    });
    for (const r of [root, log, items]) app.use(r.routes()).use(r.allowedMethods());
    return app.callback();
  },
});
