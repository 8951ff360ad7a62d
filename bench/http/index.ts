/**
 * `npm run bench -- http`: requests/s of the list route (`eventLogRouter` on Express 5) against a
 * hand-written Express handler that runs the same query through the same knex/SQLite storage,
 * measured with autocannon on 127.0.0.1 in one process, alternating sides over two rounds.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventLogTable, knexStorage } from '@eventlog/adapter-knex';
import { EventLogService, type NewEventLog } from '@eventlog/core';
import { eventLogRouter } from '@eventlog/http-express';
import express from 'express';
import knexFactory from 'knex';

interface CannonResult {
  requests: { average: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
}
type Cannon = (opts: {
  url: string;
  connections: number;
  duration: number;
}) => Promise<CannonResult>;
// autocannon ships no types; this is the one call used.
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const ROWS = 5_000;
const SECONDS = 5;
const ROUNDS = 2;
const CONNECTIONS = 10;
const QUERY = '?tool=alpha&limit=50';

async function seed(service: EventLogService): Promise<void> {
  const start = Date.UTC(2024, 0, 1);
  const rows: NewEventLog[] = Array.from({ length: ROWS }, (_, i) => ({
    timestamp: new Date(start + i * 1000),
    actorId: `u${i % 20}`,
    actorLabel: `User ${i % 20}`,
    message: `Item ${i} was updated by User ${i % 20}.`,
    template: 'Item {item__name} was updated by {user__full_name}.',
    values: { item__name: `Item ${i}`, user__full_name: `User ${i % 20}` },
    tool: ['alpha', 'beta', 'gamma'][i % 3] as string,
    action: ['create', 'update', 'delete'][i % 3] as string,
    objectType: 'Item',
    objectId: String(i % 500),
    changes: { oldValue: { status: 'active' }, newValue: { status: 'inactive' } },
    metadata: { ip: '127.0.0.1' },
    eventId: null,
  }));
  for (let i = 0; i < rows.length; i += 500) await service.storage.insert(rows.slice(i, i + 500));
}

/** The baseline: what a developer would write by hand for `GET /?tool=&limit=`. */
function handWritten(service: EventLogService): RequestListener {
  const app = express();
  app.get('/', async (req, res) => {
    const tool = typeof req.query.tool === 'string' ? req.query.tool : undefined;
    const limit = Math.min(Number(req.query.limit ?? 50) || 50, 500);
    const page = await service.list({ ...(tool && { tool }), limit });
    res.json({ next: page.nextCursor, results: page.results });
  });
  return app;
}

function withRouter(service: EventLogService): RequestListener {
  const app = express();
  app.use('/', eventLogRouter(service, { authorize: 'public' }));
  return app;
}

async function listen(listener: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/${QUERY}` };
}

/** Runs the benchmark and returns its Markdown section. */
export async function run(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'eventlog-bench-http-'));
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(dir, 'bench.db') },
    useNullAsDefault: true,
  });
  try {
    await createEventLogTable(knex);
    const service = new EventLogService(knexStorage(knex));
    await seed(service);
    const sides = {
      router: await listen(withRouter(service)),
      baseline: await listen(handWritten(service)),
    };
    const totals = { router: [] as CannonResult[], baseline: [] as CannonResult[] };
    // Warm-up: JIT, SQLite page cache and keep-alive sockets, so round 1 is not a cold start.
    for (const side of ['router', 'baseline'] as const) {
      await autocannon({ url: sides[side].url, connections: CONNECTIONS, duration: 2 });
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of ['router', 'baseline'] as const) {
        const result = await autocannon({
          url: sides[side].url,
          connections: CONNECTIONS,
          duration: SECONDS,
        });
        totals[side].push(result);
        console.log(`round ${round + 1} ${side}: ${result.requests.average.toFixed(0)} req/s`);
      }
    }
    for (const { server } of Object.values(sides)) {
      server.closeAllConnections();
      server.close();
    }
    const mean = (rs: CannonResult[]) => rs.reduce((s, r) => s + r.requests.average, 0) / rs.length;
    const p99 = (rs: CannonResult[]) => Math.max(...rs.map((r) => r.latency.p99));
    const bad = (rs: CannonResult[]) => rs.reduce((s, r) => s + r.non2xx + r.errors, 0);
    const router = mean(totals.router);
    const baseline = mean(totals.baseline);
    const ratio = router / baseline;
    return [
      '## http: list route vs a hand-written Express handler',
      '',
      `Command: \`npm run bench -- http\`. Express 5, knex/better-sqlite3 file with ${ROWS} rows,`,
      `\`GET /${QUERY}\` (50 of ~${Math.round(ROWS / 3)} matching rows), autocannon ${CONNECTIONS} connections,`,
      `2 s warm-up, then ${SECONDS} s per side, ${ROUNDS} alternating rounds, all in one process on 127.0.0.1 (${new Date().toISOString().slice(0, 10)}).`,
      '',
      '| side | req/s (mean) | p99 latency (ms, worst round) | non-2xx + errors |',
      '| --- | ---: | ---: | ---: |',
      `| eventLogRouter (validation, scope, links) | ${router.toFixed(0)} | ${p99(totals.router)} | ${bad(totals.router)} |`,
      `| hand-written handler, same query and storage | ${baseline.toFixed(0)} | ${p99(totals.baseline)} | ${bad(totals.baseline)} |`,
      '',
      `Ratio: **${ratio.toFixed(2)}×** (target ≥ 0.85×) — ${ratio >= 0.85 ? 'met' : 'NOT met'}.`,
      `Machine load average at the end: ${loadavg()[0]?.toFixed(1)} (shared 2-core machine: absolute`,
      'req/s vary run to run; the ratio of alternating rounds is the number to read).',
    ].join('\n');
  } finally {
    await knex.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
