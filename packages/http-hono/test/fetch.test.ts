import { EventLogService, memoryStorage } from '@eventlog/core';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventLogContext, eventLogRoutes, withObjectLog } from '../src/index';

type Entry = { id: string; metadata: unknown };
type Page = { results: Entry[] };

// No Node server: `app.request()` hands the app a web-standard `Request` and gets a `Response`,
// as Workers, Deno and Bun do.
describe('web-standard Request / Response (hono app.request)', () => {
  let app: Hono;
  const staff = { 'x-role': 'staff' };
  beforeAll(async () => {
    const service = new EventLogService(memoryStorage());
    const authorize = (c: { req: { header(n: string): string | undefined } }) =>
      c.req.header('x-role') === 'staff';
    app = new Hono({ strict: false });
    app.use(eventLogContext({ actor: (c) => ({ id: c.req.header('x-user'), label: 'User' }) }));
    app.post('/items/:id/archive', async (c) =>
      c.json(
        await service.log({
          template: 'Archived',
          object: { type: 'Item', id: c.req.param('id') },
          tool: 'items',
          action: 'archive',
        }),
      ),
    );
    app.route('/api/eventlogs', eventLogRoutes(service, { authorize }));
    app.route('/items', withObjectLog(new Hono(), service, { objectType: 'Item', authorize }));
  });

  it('serves list, entry, object log, 400 and 403 with the request context', async () => {
    const posted = await app.request('/items/a%2Fb/archive', {
      method: 'POST',
      headers: { 'x-user': 'u-1', 'x-request-id': 'req-1' },
    });
    expect(posted).toBeInstanceOf(Response);
    expect(posted.headers.get('x-request-id')).toBe('req-1');
    const logged = (await posted.json()) as Entry;
    expect(logged).toMatchObject({ actorId: 'u-1', objectId: 'a/b' });
    expect(logged.metadata).toEqual({ requestId: 'req-1' });

    const list = await app.request('/api/eventlogs/?limit=1&with_count=true', { headers: staff });
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toMatch(/application\/json/);
    expect(list.headers.get('cache-control')).toBe('no-store');
    const page = (await list.json()) as Page;
    const first = page.results[0] as Entry;
    expect(page).toMatchObject({ count: 1, next: null, previous: null });
    const entry = await app.request(`/api/eventlogs/${first.id}`, { headers: staff });
    expect(((await entry.json()) as Entry).id).toBe(first.id);

    // The link keeps the encoded path the client sent.
    const log = await app.request('/items/a%2Fb/log?limit=1', { headers: staff });
    expect(((await log.json()) as Page).results).toHaveLength(1);

    const bad = await app.request('/api/eventlogs/?tool[$ne]=x', { headers: staff });
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: { issues: { param: string }[] } };
    expect(error.issues[0]?.param).toBe('tool');
    expect((await app.request('/api/eventlogs/')).status).toBe(403);
  });
});
