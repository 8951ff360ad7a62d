import { EventLogService, memoryStorage } from '@eventlog/core';
import {
  eventLogViewer,
  fastifyEventLog,
  fastifyEventLogContext,
  withObjectLog,
} from '@eventlog/http-fastify';
import Fastify, { type FastifyRequest } from 'fastify';

// Stand-in for your authentication: the user named by the `x-user` header.
const users: Record<string, { id: string; label: string; isStaff: boolean }> = {
  ada: { id: '1', label: 'Ada', isStaff: true },
  bob: { id: '2', label: 'Bob', isStaff: false },
};
const userOf = (req: FastifyRequest) => users[String(req.headers['x-user'])];

export const eventlog = new EventLogService(memoryStorage()); // or knexStorage(knex), ...
export const app = Fastify();

// Every log() while handling a request gets its actor, ip, user agent and request id.
await app.register(fastifyEventLogContext, { actor: userOf });
// GET /api/eventlogs (list) and GET /api/eventlogs/:id (one entry).
await app.register(fastifyEventLog, {
  eventlog,
  prefix: '/api/eventlogs',
  authorize: (req) => userOf(req)?.isStaff === true, // required; or authorize: 'public'
});
await app.register(
  async (items) => {
    items.post<{ Params: { id: string } }>('/:id/archive', async (req) => {
      const item = { type: 'Item', id: req.params.id };
      await eventlog.log({ template: 'Archived', object: item, tool: 'items', action: 'archive' });
      return { archived: req.params.id };
    });
    // GET /items/:id/log: the log of one item.
    withObjectLog(items, eventlog, { objectType: 'Item', authorize: (req) => !!userOf(req) });
  },
  { prefix: '/items' },
);
// The audit-log viewer at /admin/audit/: the page and the API it calls, refused together.
const viewer = eventLogViewer(eventlog, { authorize: (req) => userOf(req)?.isStaff === true });
await app.register(viewer, { prefix: '/admin/audit' });
await app.listen({ port: Number(process.env.PORT ?? 3000) });
