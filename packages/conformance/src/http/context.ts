import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventLog, EventLogService } from '@eventlog/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, type RunningApp, startApp, USER } from './fixture';
import type { HttpContractOptions } from './types';

// Awaits a timer and an immediate before logging, so the context must survive real async hops.
async function awaitTwiceThenLog(service: EventLogService): Promise<EventLog> {
  await sleep(2);
  await new Promise<void>((resolve) => setImmediate(resolve));
  return service.log({ template: 'Probe', tool: 'probe', action: 'create' });
}

/** `eventLogContext`: actor, ip, user agent and request id reach `log()` across awaits. */
export function contextContract(options: HttpContractOptions, base: string): void {
  describe('request context', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(options, base, { probe: awaitTwiceThenLog });
    });
    afterAll(() => app.close());

    const stored = async (id: string) =>
      app.http.get(`${app.base}/${id}`).set(ROLE, 'staff').expect(200);

    it('every log() of the request gets actor, ip, user agent and the x-request-id', async () => {
      const requestId = randomUUID();
      const res = await app.http
        .get('/probe')
        .set(USER, 'u-42')
        .set('user-agent', 'contract-agent/1.0')
        .set('x-request-id', requestId)
        .expect(200);
      expect(res.headers['x-request-id']).toBe(requestId);
      const entry = (await stored(res.body.id)).body;
      expect(entry.actorId).toBe('u-42');
      expect(entry.actorLabel).toBe('Probe');
      expect(entry.metadata.requestId).toBe(requestId);
      expect(entry.metadata.userAgent).toBe('contract-agent/1.0');
      expect(entry.metadata.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    });

    it('makes up a request id when none (or an unsafe one) is sent', async () => {
      for (const header of [undefined, 'bad id with spaces']) {
        const req = app.http.get('/probe');
        if (header) req.set('x-request-id', header);
        const res = await req.expect(200);
        const entry = (await stored(res.body.id)).body;
        expect(entry.metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
        expect(res.headers['x-request-id']).toBe(entry.metadata.requestId);
        expect(entry.actorId).toBeNull();
      }
    });

    it('concurrent requests never see each other’s context', async () => {
      const users = Array.from({ length: 12 }, (_, i) => `user-${i}`);
      const responses = await Promise.all(
        users.map((u) =>
          app.http.get('/probe').set(USER, u).set('x-request-id', `req-${u}`).expect(200),
        ),
      );
      for (const [i, res] of responses.entries()) {
        const entry = (await stored(res.body.id)).body;
        expect(entry.actorId).toBe(users[i]);
        expect(entry.metadata.requestId).toBe(`req-${users[i]}`);
      }
    });
  });
}
