import { EventLogService, memoryStorage } from '@eventlog/core';
import {
  eventLogContext,
  eventLogRoutes,
  eventLogViewer,
  withObjectLog,
} from '@eventlog/http-hono';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono } from 'hono';

// Stand-in for your authentication: the user named by the `x-user` header.
const users: Record<string, { id: string; label: string; isStaff: boolean }> = {
  ada: { id: '1', label: 'Ada', isStaff: true },
  bob: { id: '2', label: 'Bob', isStaff: false },
};
const userOf = (c: Context) => users[c.req.header('x-user') ?? ''];

export const eventlog = new EventLogService(memoryStorage()); // or knexStorage(knex), ...
// Hono is strict about trailing slashes: `strict: false` also routes `/api/eventlogs/`.
export const app = new Hono({ strict: false });

// Every log() while handling a request gets its actor, ip, user agent and request id.
app.use(eventLogContext({ actor: userOf, getConnInfo }));
// GET /api/eventlogs (list) and GET /api/eventlogs/:id (one entry).
app.route(
  '/api/eventlogs',
  eventLogRoutes(eventlog, { authorize: (c) => userOf(c)?.isStaff === true }), // or 'public'
);
const items = new Hono();
items.post('/:id/archive', async (c) => {
  const item = { type: 'Item', id: c.req.param('id') };
  await eventlog.log({ template: 'Archived', object: item, tool: 'items', action: 'archive' });
  return c.json({ archived: item.id });
});
// GET /items/:id/log: the log of one item. Before app.route, which copies the routes.
withObjectLog(items, eventlog, { objectType: 'Item', authorize: (c) => !!userOf(c) });
app.route('/items', items);

// The audit-log viewer at /admin/audit/: the page and the API it calls, refused together.
app.route(
  '/admin/audit',
  eventLogViewer(eventlog, { authorize: (c) => userOf(c)?.isStaff === true }),
);

export const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) });
