import { EventLogService, memoryStorage } from '@eventlog/core';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { fastifyEventLogContext } from '../src/index';

async function ipLogged(trustProxy: boolean): Promise<unknown> {
  const service = new EventLogService(memoryStorage());
  const app = Fastify({ trustProxy });
  await app.register(fastifyEventLogContext);
  app.get('/', async () => service.log({ template: 'x', tool: 't', action: 'a' }));
  const res = await app.inject({
    method: 'GET',
    url: '/',
    headers: { 'x-forwarded-for': '203.0.113.9' },
  });
  await app.close();
  return res.json().metadata.ip;
}

describe('fastifyEventLogContext ip (fastify)', () => {
  it('takes X-Forwarded-For only when the app sets trustProxy', async () => {
    expect(await ipLogged(true)).toBe('203.0.113.9');
    expect(await ipLogged(false)).toBe('127.0.0.1');
  });
});
