import { runHttpContract } from '@eventlog/conformance/http';
import Fastify from 'fastify';
import { fastifyEventLog, fastifyEventLogContext, withObjectLog } from '../src/index';
import { sqliteStorage } from './sqlite-storage';

runHttpContract({
  name: 'fastify',
  createStorage: sqliteStorage,
  async mount(spec) {
    const app = Fastify();
    await app.register(fastifyEventLogContext, { actor: spec.context.actor });
    app.get('/probe', async () => spec.probe());
    app.register(fastifyEventLog, {
      eventlog: spec.service,
      ...spec.router,
      ...(spec.basePath && { prefix: spec.basePath }),
    });
    app.register(
      async (items) => {
        withObjectLog(items, spec.service, {
          ...spec.objectLog.access,
          objectType: spec.objectLog.objectType,
          param: spec.objectLog.param,
        });
      },
      { prefix: spec.objectLog.resourcePath },
    );
    await app.ready();
    return app.routing;
  },
});
