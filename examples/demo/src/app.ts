import { fileURLToPath } from 'node:url';
import { knexStorage } from '@eventlog/adapter-knex';
import { EventLogService, ValidationError } from '@eventlog/core';
import {
  eventLogContext,
  eventLogRouter,
  eventLogViewer,
  withObjectLog,
} from '@eventlog/http-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { ITEMS_TOOL, itemsModel } from './items';
import { seedDemo } from './seed';
import { TEAMS_TOOL, teamsModel } from './teams';
import { findUser, USERS, userFromHeaders } from './users';

const publicDir = fileURLToPath(new URL('../public', import.meta.url));
type WithHeaders = { headers: Record<string, string | string[] | undefined> };
const signedIn = (req: WithHeaders) => userFromHeaders(req.headers) !== undefined;
const isStaff = (req: WithHeaders) => userFromHeaders(req.headers)?.isStaff === true;

/** Builds the demo app over an open database whose tables exist. */
export function createApp(db: Knex) {
  const eventlog = new EventLogService(knexStorage(db));
  const items = itemsModel(db, eventlog);
  const teams = teamsModel(db, eventlog);
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '64kb' }));
  app.use(express.urlencoded({ extended: false, limit: '4kb' }));
  // Every log() during a request gets the signed-in user as actor, plus ip, user agent, request id.
  app.use(eventLogContext({ actor: (req: WithHeaders) => userFromHeaders(req.headers) ?? null }));

  app.get('/api/users', (_req, res) => {
    res.json(USERS);
  });
  app.get('/api/meta', (_req, res) => {
    res.json({
      tools: [ITEMS_TOOL, TEAMS_TOOL, 'auth'],
      actions: ['create', 'update', 'delete', 'change_lead', 'login'],
    });
  });
  app.get('/api/me', (req, res) => {
    res.json({ user: userFromHeaders(req.headers) ?? null });
  });
  app.post('/api/login', (req, res) => {
    const user = findUser((req.body as { user?: unknown } | undefined)?.user);
    if (!user) {
      res.status(400).json({ error: { code: 'VALIDATION_ERROR', message: 'unknown user' } });
      return;
    }
    res.cookie('demo_user', user.id, { httpOnly: true, sameSite: 'strict' }).json({ user });
  });
  app.post('/api/logout', (_req, res) => {
    res.clearCookie('demo_user').json({ user: null });
  });
  // The sign-in page's form (no script): sets the session and opens the viewer.
  app.post('/login', (req, res) => {
    const user = findUser((req.body as { user?: unknown } | undefined)?.user);
    if (user) res.cookie('demo_user', user.id, { httpOnly: true, sameSite: 'strict' });
    else res.clearCookie('demo_user');
    res.redirect(303, user ? '/audit/' : '/');
  });

  // The whole log is for staff; the per-object history is for anyone signed in.
  app.use('/api/eventlogs', eventLogRouter(eventlog, { authorize: isStaff }));
  // The viewer: staff see everything, other signed-in users the items' history only.
  app.use(
    '/audit',
    eventLogViewer(eventlog, {
      authorize: signedIn,
      scope: (req) => (isStaff(req) ? null : { objectType: 'Item' }),
      title: 'eventlog demo — audit log',
    }),
  );

  const requireUser = (req: Request, res: Response, next: NextFunction) => {
    if (signedIn(req)) next();
    else res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'sign in first' } });
  };
  const user = (req: Request) => userFromHeaders(req.headers)!;
  const idParam = (req: Request) => z.coerce.number().int().positive().parse(req.params.id);

  const itemsRouter = express.Router();
  withObjectLog(itemsRouter, eventlog, { objectType: 'Item', authorize: signedIn });
  itemsRouter.use(requireUser);
  itemsRouter.get('/', async (_req, res) => {
    res.json(await items.list());
  });
  itemsRouter.post('/', async (req, res) => {
    res.status(201).json(await items.create(req.body, user(req)));
  });
  itemsRouter.patch('/:id', async (req, res) => {
    const item = await items.update(idParam(req), req.body, user(req));
    if (item) res.json(item);
    else res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such item' } });
  });
  itemsRouter.delete('/:id', async (req, res) => {
    if (await items.remove(idParam(req), user(req))) res.status(204).end();
    else res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such item' } });
  });
  app.use('/api/items', itemsRouter);

  const teamsRouter = express.Router();
  withObjectLog(teamsRouter, eventlog, { objectType: 'Team', authorize: signedIn });
  teamsRouter.use(requireUser);
  teamsRouter.get('/', async (_req, res) => {
    res.json(await teams.list());
  });
  teamsRouter.post('/', async (req, res) => {
    res.status(201).json(await teams.create(req.body, user(req)));
  });
  teamsRouter.post('/:id/lead', async (req, res) => {
    const lead = findUser((req.body as { leadId?: unknown } | undefined)?.leadId);
    if (!lead) {
      res
        .status(400)
        .json({ error: { code: 'VALIDATION_ERROR', message: 'leadId: unknown user' } });
      return;
    }
    const team = await teams.changeLead(idParam(req), lead.id, user(req));
    if (team) res.json(team);
    else res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such team' } });
  });
  app.use('/api/teams', teamsRouter);

  app.use(express.static(publicDir));

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof z.ZodError) {
      res.status(400).json({
        error: {
          code: 'VALIDATION_ERROR',
          message: 'invalid input',
          issues: err.issues.map((i) => ({ param: i.path.join('.'), message: i.message })),
        },
      });
      return;
    }
    // Input eventlog refuses (e.g. U+0000 in a logged name): the client's fault, and the
    // business change rolled back with the entry.
    if (err instanceof ValidationError) {
      res.status(400).json({
        error: {
          code: 'VALIDATION_ERROR',
          message: err.message,
          issues: err.issues.map((i) => ({ param: i.path.join('.'), message: i.message })),
        },
      });
      return;
    }
    console.error(err);
    res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error' } });
  });

  return {
    app,
    eventlog,
    items,
    teams,
    /** Seeds the sample story when the log is empty; returns how many events it wrote. */
    async seedIfEmpty(): Promise<number> {
      const { results } = await eventlog.list({ limit: 1 });
      return results.length === 0 ? seedDemo({ items, teams, eventlog }) : 0;
    },
  };
}
