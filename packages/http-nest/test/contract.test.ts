import 'reflect-metadata';
import type { RequestListener } from 'node:http';
import { runHttpContract } from '@eventlog/conformance/http';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventLogModule } from '../src/index';

runHttpContract({
  name: 'nest',
  async mount(spec) {
    @Controller()
    class ProbeController {
      @Get('probe')
      probe() {
        return spec.probe();
      }
    }
    @Module({
      imports: [
        EventLogModule.forRoot({
          eventlog: spec.service,
          ...spec.router,
          path: spec.basePath || '/',
          context: { actor: spec.context.actor },
          objectLogs: [
            {
              ...spec.objectLog.access,
              path: spec.objectLog.resourcePath,
              objectType: spec.objectLog.objectType,
              param: spec.objectLog.param,
            },
          ],
        }),
      ],
      controllers: [ProbeController],
    })
    class AppModule {}
    const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
    await app.init();
    return app.getHttpAdapter().getInstance() as RequestListener;
  },
});
