import { EventLogService, memoryStorage } from '@eventlog/core';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { eventLogContext } from '../src/index';

async function ipLogged(trustProxy: boolean): Promise<unknown> {
  const service = new EventLogService(memoryStorage());
  const app = express();
  app.set('trust proxy', trustProxy);
  app.use(eventLogContext());
  app.get('/', async (_req, res) => {
    res.json(await service.log({ template: 'x', tool: 't', action: 'a' }));
  });
  const res = await request(app).get('/').set('x-forwarded-for', '203.0.113.9').expect(200);
  return res.body.metadata.ip;
}

describe('eventLogContext ip (express)', () => {
  it('takes X-Forwarded-For only when the app trusts proxies', async () => {
    expect(await ipLogged(true)).toBe('203.0.113.9');
    expect(await ipLogged(false)).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });
});
