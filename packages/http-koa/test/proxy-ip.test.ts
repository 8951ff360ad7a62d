import { EventLogService, memoryStorage } from '@eventlog/core';
import Koa from 'koa';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { eventLogContext } from '../src/index';

async function ipLogged(proxy: boolean): Promise<unknown> {
  const service = new EventLogService(memoryStorage());
  const app = new Koa({ proxy });
  app.use(eventLogContext());
  app.use(async (ctx) => {
    ctx.body = await service.log({ template: 'x', tool: 't', action: 'a' });
  });
  const res = await request(app.callback())
    .get('/')
    .set('x-forwarded-for', '203.0.113.9')
    .expect(200);
  return res.body.metadata.ip;
}

describe('eventLogContext ip (koa)', () => {
  it('takes X-Forwarded-For only when app.proxy is on', async () => {
    expect(await ipLogged(true)).toBe('203.0.113.9');
    expect(await ipLogged(false)).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });
});
