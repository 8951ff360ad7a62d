import { runHttpContract } from '@eventlog/conformance/http';
import express from 'express';
import { eventLogContext, eventLogRouter, withObjectLog } from '../src/index';

runHttpContract({
  name: 'express',
  mount(spec) {
    const app = express();
    app.use(eventLogContext({ actor: spec.context.actor }));
    app.get('/probe', async (_req, res) => {
      res.json(await spec.probe());
    });
    app.use(spec.basePath || '/', eventLogRouter(spec.service, spec.router));
    const items = express.Router();
    withObjectLog(items, spec.service, {
      ...spec.objectLog.access,
      objectType: spec.objectLog.objectType,
      param: spec.objectLog.param,
    });
    app.use(spec.objectLog.resourcePath, items);
    return app;
  },
});
