/**
 * `npm run bench -- load`: the list route (`eventLogRouter` on Express 5, knex
 * on a better-sqlite3 file) at 1,000,000 rows, hammered by autocannon on 127.0.0.1 for a bounded
 * time per filter set. Reports req/s and latency percentiles, and checks the promises: zero
 * non-2xx responses or socket errors under load, and the `limit` cap (500) holds.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventLogTable, knexStorage } from '@eventlog/adapter-knex';
import { EventLogService } from '@eventlog/core';
import { eventLogRouter } from '@eventlog/http-express';
import express from 'express';
import knexFactory from 'knex';
import { loadRows } from '../knex/load';

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Cannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
}) => Promise<CannonResult>;
// autocannon ships no types; this is the one call used.
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const ROWS = 1_000_000;
const SECONDS = 10;
const CONNECTIONS = 10;
/** A request slower than this counts as a timeout (an error): the time bound of every request. */
const TIMEOUT_S = 5;
const CAP = 500;

/** Filter sets: each is one URL hammered for SECONDS. Rows span 2024-01-01 over ~8.6 hours. */
const SETS: [string, string][] = [
  ['newest page, no filter', '?limit=50'],
  ['one tool', '?tool=tool_3&limit=100'],
  ['actor and action', '?actor=user_7&action=update&limit=50'],
  ['one object', '?object_type=Item&object_id=4242'],
  ['tool and time range', '?tool=tool_10&from=2024-01-01T02:00:00Z&to=2024-01-01T03:00:00Z'],
  ['message search within a tool', '?tool=tool_45&search=Item%20123&limit=20'],
  ['page style with count', '?tool=tool_20&page=5&page_size=20'],
  ['the cap: limit=500, oldest first', `?limit=${CAP}&order=asc`],
];

async function get(url: string): Promise<{ status: number; body: { results?: unknown[] } }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as { results?: unknown[] } };
}

/** Runs the benchmark and returns its Markdown section. */
export async function run(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'eventlog-bench-load-'));
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(dir, 'load.db') },
    useNullAsDefault: true,
  });
  let server: Server | undefined;
  try {
    await createEventLogTable(knex);
    const started = performance.now();
    // One INSERT ... SELECT from a recursive CTE: one statement, one transaction, no round trip
    // per row.
    await loadRows(knex, 'eventlog', ROWS);
    const loadSeconds = (performance.now() - started) / 1000;
    console.log(`loaded ${ROWS} rows in ${loadSeconds.toFixed(1)} s`);

    const app = express();
    app.use(
      '/api/eventlogs',
      eventLogRouter(new EventLogService(knexStorage(knex)), {
        authorize: 'public',
      }),
    );
    server = createServer(app);
    const s = server;
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/eventlogs/`;

    // The cap, checked on real responses before the load: at the cap a full page, above it a 400.
    const atCap = await get(`${base}?limit=${CAP}`);
    const overCap = await get(`${base}?limit=${CAP + 1}`);
    const absurd = await get(`${base}?limit=1e9`);
    const capHolds =
      atCap.status === 200 &&
      atCap.body.results?.length === CAP &&
      overCap.status === 400 &&
      absurd.status === 400;

    const rows: string[] = [];
    let bad = 0;
    for (const [name, query] of SETS) {
      const url = `${base}${query}`;
      const probe = await get(url);
      const size = probe.body.results?.length ?? -1;
      // Warm-up: JIT and SQLite's page cache for this filter.
      await autocannon({ url, connections: CONNECTIONS, duration: 1, timeout: TIMEOUT_S });
      const r = await autocannon({
        url,
        connections: CONNECTIONS,
        duration: SECONDS,
        timeout: TIMEOUT_S,
      });
      const failures = r.non2xx + r.errors + r.timeouts + (probe.status === 200 ? 0 : 1);
      bad += failures;
      console.log(`${name}: ${r.requests.average.toFixed(0)} req/s, p99 ${r.latency.p99} ms`);
      rows.push(
        `| ${name} | \`${query}\` | ${size} | ${r.requests.total} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} | ${r.latency.p99} | ${r.latency.max} | ${r.non2xx} | ${r.errors + r.timeouts} |`,
      );
    }
    if (bad > 0 || !capHolds) process.exitCode = 1;
    return [
      '## load: the list route at 1,000,000 rows under autocannon',
      '',
      `Command: \`npm run bench -- load\`. Express 5 + \`eventLogRouter\`, knex/better-sqlite3 file,`,
      `${ROWS.toLocaleString('en-US')} rows bulk-loaded in ${loadSeconds.toFixed(1)} s (one statement), 50 tools (skewed), 100 actors,`,
      `10,000 objects. autocannon ${CONNECTIONS} connections, 1 s warm-up then ${SECONDS} s per filter set, a request`,
      `slower than ${TIMEOUT_S} s counts as an error; server and autocannon in one process on 127.0.0.1`,
      `(${new Date().toISOString().slice(0, 10)}, shared 2-core machine, load average at the end ${loadavg()[0]?.toFixed(1)}).`,
      '',
      '| filter set | query | page size | requests | req/s | p50 ms | p99 ms | max ms | non-2xx | errors + timeouts |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      `Zero non-2xx, errors and timeouts: **${bad === 0 ? 'yes' : `NO (${bad})`}**.`,
      `Limit cap: \`limit=${CAP}\` → ${atCap.status} with ${atCap.body.results?.length} entries; \`limit=${CAP + 1}\` → ${overCap.status};`,
      `\`limit=1e9\` → ${absurd.status}: **${capHolds ? 'holds' : 'BROKEN'}**.`,
    ].join('\n');
  } finally {
    server?.closeAllConnections();
    server?.close();
    await knex.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
