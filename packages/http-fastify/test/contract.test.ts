import { type ContractAccess, runHttpContract } from '@eventlog/conformance/http';
import Fastify from 'fastify';
import {
  type FastifyObjectLogOptions,
  fastifyEventLog,
  fastifyEventLogContext,
  withObjectLog,
} from '../src/index';

// Fastify types `request.params` as unknown; at run time it is the record the suite reads.
const onFastify = (access: ContractAccess) => access as unknown as FastifyObjectLogOptions;

runHttpContract({
  name: 'fastify',
  async mount(spec) {
    const app = Fastify();
    await app.register(fastifyEventLogContext, { actor: spec.context.actor });
    app.get('/probe', async () => spec.probe());
    app.register(fastifyEventLog, {
      eventlog: spec.service,
      ...onFastify(spec.router),
      ...(spec.basePath && { prefix: spec.basePath }),
    });
    app.register(
      async (items) => {
        withObjectLog(items, spec.service, {
          ...onFastify(spec.objectLog.access),
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
