import 'reflect-metadata';
import { EventLogService, memoryStorage } from '@eventlog/core';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { EventLogModule } from '../src/index';

async function ipLogged(trustProxy: boolean): Promise<unknown> {
  const service = new EventLogService(memoryStorage());
  @Controller()
  class LogController {
    @Get()
    log() {
      return service.log({ template: 'x', tool: 't', action: 'a' });
    }
  }
  @Module({
    imports: [EventLogModule.forRoot({ eventlog: service, authorize: 'public', context: {} })],
    controllers: [LogController],
  })
  class AppModule {}
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: false });
  app.set('trust proxy', trustProxy);
  await app.init();
  const res = await request(app.getHttpServer())
    .get('/')
    .set('x-forwarded-for', '203.0.113.9')
    .expect(200);
  await app.close();
  return res.body.metadata.ip;
}

describe('EventLogContextInterceptor ip (nest on express)', () => {
  it('takes X-Forwarded-For only when the app trusts proxies', async () => {
    expect(await ipLogged(true)).toBe('203.0.113.9');
    expect(await ipLogged(false)).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });
});
