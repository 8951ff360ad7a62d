/**
 * `npm run bench -- http`: requests/s of the list route of each framework package (Express,
 * Fastify, Hono, NestJS) against a hand-written handler on the same framework that runs the
 * same query through the same knex/SQLite storage, measured with autocannon on 127.0.0.1 in one
 * process, alternating sides over two rounds.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventLogTable, knexStorage } from '@eventlog/adapter-knex';
import { EventLogService, type NewEventLog } from '@eventlog/core';
import knexFactory from 'knex';
import { FRAMEWORKS, type FrameworkPair } from './frameworks';

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
const SECONDS = 3;
const ROUNDS = 4;
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
    batchId: null,
  }));
  for (let i = 0; i < rows.length; i += 500) await service.storage.insert(rows.slice(i, i + 500));
}

async function listen(listener: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/${QUERY}` };
}

/** Alternating rounds of one framework's package and hand-written handler; one table row. */
async function compare(framework: FrameworkPair, service: EventLogService): Promise<string> {
  const sides = {
    router: await listen(await framework.withAdapter(service)),
    baseline: await listen(await framework.handWritten(service)),
  };
  const totals = { router: [] as CannonResult[], baseline: [] as CannonResult[] };
  // Warm-up: JIT, SQLite page cache and keep-alive sockets, so round 1 is not a cold start.
  for (const side of ['router', 'baseline'] as const) {
    await autocannon({ url: sides[side].url, connections: CONNECTIONS, duration: 2 });
  }
  for (let round = 0; round < ROUNDS; round++) {
    // Which side goes first alternates, so neither always meets the other's leftovers.
    const order =
      round % 2 === 0 ? (['router', 'baseline'] as const) : (['baseline', 'router'] as const);
    for (const side of order) {
      const result = await autocannon({
        url: sides[side].url,
        connections: CONNECTIONS,
        duration: SECONDS,
      });
      totals[side].push(result);
      console.log(
        `${framework.name} round ${round + 1} ${side}: ${result.requests.average.toFixed(0)} req/s`,
      );
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
  const rounds = totals.router
    .map((r, i) => (r.requests.average / (totals.baseline[i]?.requests.average ?? 1)).toFixed(2))
    .join(' / ');
  return `| ${framework.name} | ${framework.adapter} | ${router.toFixed(0)} | ${baseline.toFixed(0)} | ${p99(totals.router)} / ${p99(totals.baseline)} | ${bad(totals.router) + bad(totals.baseline)} | ${rounds} | **${ratio.toFixed(2)}×** ${ratio >= 0.85 ? 'met' : 'NOT met'} |`;
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
    const rows: string[] = [];
    for (const framework of FRAMEWORKS) rows.push(await compare(framework, service));
    return [
      '## http: list route vs a hand-written handler, per framework',
      '',
      `Command: \`npm run bench -- http\`. knex/better-sqlite3 file with ${ROWS} rows,`,
      `\`GET /${QUERY}\` (50 of ~${Math.round(ROWS / 3)} matching rows), autocannon ${CONNECTIONS} connections,`,
      `2 s warm-up, then ${SECONDS} s per side, ${ROUNDS} rounds alternating which side goes first, all in one process on 127.0.0.1 (${new Date().toISOString().slice(0, 10)}).`,
      'The package side adds validation, authorize, scope and links; the hand-written side passes',
      '`tool` and `limit` straight to `list()` and returns the page.',
      '',
      '| framework | package | package req/s | hand-written req/s | p99 ms (package / hand, worst round) | non-2xx + errors | ratio per round | ratio of means (target ≥ 0.85×) |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      `Machine load average at the end: ${loadavg()[0]?.toFixed(1)} (shared 2-core machine: absolute`,
      'req/s vary run to run; the ratio of alternating rounds is the number to read).',
    ].join('\n');
  } finally {
    await knex.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
