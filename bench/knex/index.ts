/**
 * `npm run bench -- knex`: the knex adapter against hand-written knex doing the same work, on a
 * SQLite file and on PostgreSQL (a throwaway cluster, or EVENTLOG_PG_URL), in one process.
 */

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEventLogTable, knexStorage } from '@eventlog/adapter-knex';
import { EventLogService, type LogInput, memoryStorage } from '@eventlog/core';
import { encodeCursor, type NewEventLog } from '@eventlog/core/storage';
import { changedKeysTableName } from '@eventlog/sql';
import { startPostgres } from '@eventlog/test-servers/postgres';
import knexFactory, { type Knex } from 'knex';
import { copyCeiling } from './copy';
import { loadRows } from './load';
import {
  against,
  blockRatio,
  type Interleaved,
  interleave,
  median,
  medianOf,
  ms,
  ratio,
  time,
} from './measure';
import { RAW, rawKeys, rawLog, rawMany, rawRow } from './raw-writes';

// BENCH_KNEX_QUICK=1: a smoke run at a tenth of the size (the numbers are not the results).
const SCALE = process.env.BENCH_KNEX_QUICK === '1' ? 10 : 1;
// BENCH_KNEX_ONLY=writes: the write rows only, at full size; the 1M-row reads (the longest part,
// which a loaded machine may not finish) are not run, and their last full run's text is kept.
const WRITES_ONLY = process.env.BENCH_KNEX_ONLY === 'writes';
const LOG_ROUNDS = 2000 / SCALE;
const LOG_WARMUP = 200 / SCALE;
/** Calls per block of the interleaved `log()` comparison. */
const BLOCK = 20;
const MANY = 200_000 / SCALE;
const MANY_ROUNDS = 3;
/** The batch compared with `psql \copy` on PostgreSQL. */
const COPY = 100_000 / SCALE;
const DEEP = 100_000 / SCALE;
const ROWS = 1_000_000 / SCALE;

interface Target {
  name: string;
  knex: Knex;
  /** Rows per INSERT statement, as the adapter chunks them. */
  chunk: number;
  /** PostgreSQL only: the server's URL for `psql \copy`, and a directory for its CSV file. */
  copy?: { url: string; dir: string };
}

const input = (i: number): LogInput => ({
  template: 'Item {item__name} was updated',
  values: { item__name: { name: `Item ${i % 10_000}` } },
  object: { type: 'Item', id: i % 10_000 },
  actor: { id: `user_${i % 100}`, label: `User ${i % 100}` },
  tool: `tool_${i % 50}`,
  action: 'update',
  changes: { oldValue: { name: 'a' }, newValue: { name: 'b' } },
  metadata: { ip: '127.0.0.1' },
});

/** Drops `table` and its changed-keys table. */
async function dropTables(knex: Knex, table: string): Promise<void> {
  await knex.schema.dropTableIfExists(table);
  await knex.schema.dropTableIfExists(changedKeysTableName(table));
}

async function freshTables(knex: Knex, ...tables: string[]): Promise<void> {
  for (const t of tables) {
    await dropTables(knex, t);
    await createEventLogTable(knex, { tableName: t });
  }
}

async function writes(target: Target): Promise<{ lines: string[]; totals: string }> {
  const { knex } = target;
  const sqlite = knex.client.dialect !== 'postgresql';
  await freshTables(knex, 'bench_log', 'bench_store', RAW);
  const service = new EventLogService(knexStorage(knex, { tableName: 'bench_log' }));
  const storage = knexStorage(knex, { tableName: 'bench_store' });
  const sample = await service.log(input(0));
  const { id: _id, ...prepared } = sample;
  let i = 0;
  let j = 0;
  const variants = [
    () => knex.transaction((trx) => service.log(input(i++), { transaction: trx })),
    () =>
      knex.transaction((trx) =>
        storage.insert([{ ...prepared, timestamp: new Date() }], { transaction: trx }),
      ),
    () => knex.transaction((trx) => rawLog(trx, j++, sqlite)),
  ];
  // Untimed warm-up: the JIT compiles each path before the clock starts.
  await interleave(variants, LOG_WARMUP, BLOCK);
  const [logService, logStorage, logRaw] = (await interleave(variants, LOG_ROUNDS, BLOCK)) as [
    Interleaved,
    Interleaved,
    Interleaved,
  ];

  await freshTables(knex, 'bench_log', 'bench_store', RAW);
  const inputs = Array.from({ length: MANY }, (_, k) => input(k));
  // What the adapter alone writes: the entries core prepares from the same inputs.
  const entries: NewEventLog[] = (await new EventLogService(memoryStorage()).logMany(inputs)).map(
    ({ id: _, chain: _c, seq: _s, prevHash: _p, hash: _h, ...entry }) => entry,
  );
  // Each round runs the three once, in a rotated order, on tables holding the same number of rows
  // (what the earlier rounds wrote), so drift over the run and table growth hit all three alike.
  const [manyService, manyStorage, manyRaw] = (await interleave(
    [
      () => service.logMany(inputs),
      () => storage.insert(entries),
      () => knex.transaction((trx) => rawMany(trx, MANY, target.chunk, sqlite)),
    ],
    MANY_ROUNDS,
    1,
  )) as [Interleaved, Interleaved, Interleaved];
  for (const t of ['bench_log', 'bench_store', RAW]) await dropTables(knex, t);
  const copyLine = target.copy
    ? await copyCeiling(
        knex,
        target.copy.url,
        target.copy.dir,
        inputs.slice(0, COPY),
        Array.from({ length: COPY }, (_, k) => rawRow(k, sqlite)),
        rawKeys(),
        MANY_ROUNDS,
      )
    : undefined;
  // Per call: the median block's time over its calls, the statistic the ratio is built from.
  const perOp = (m: Interleaved) => `${((medianOf(m.blocks) / BLOCK) * 1000).toFixed(0)} µs`;
  const lines = [
    `| ${target.name} | \`log()\` in its own transaction, ×${LOG_ROUNDS} | ${perOp(logService)} | ${perOp(logStorage)} | ${perOp(logRaw)} | ${against(blockRatio(logRaw, logService), 0.95)} | ${ratio(blockRatio(logRaw, logStorage))} |`,
    `| ${target.name} | \`logMany\` of ${MANY.toLocaleString('en')} entries (median of ${MANY_ROUNDS}) | ${ms(medianOf(manyService.blocks))} ms | ${ms(medianOf(manyStorage.blocks))} ms | ${ms(medianOf(manyRaw.blocks))} ms | ${against(blockRatio(manyRaw, manyService), 0.95)} | ${ratio(blockRatio(manyRaw, manyStorage))} |`,
  ];
  if (copyLine) lines.push(copyLine);
  const totalRatio = (a: Interleaved, b: Interleaved) => ratio(a.total / b.total);
  return {
    lines,
    totals: `${target.name}: \`log()\` ${totalRatio(logRaw, logService)}, \`logMany\` ${totalRatio(manyRaw, manyService)}`,
  };
}

async function reads(target: Target): Promise<{ lines: string[]; loadMs: number }> {
  const { knex } = target;
  const table = 'bench_1m';
  await freshTables(knex, table);
  const loadMs = await time(() => loadRows(knex, table, ROWS));
  const service = new EventLogService(knexStorage(knex, { tableName: table }));

  // The cursor a client holds after walking 100,000 rows: built from the row just before.
  const pg = knex.client.dialect === 'postgresql';
  const keyExpr = pg
    ? `to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
    : '"timestamp"';
  const [before] = (await knex(table)
    .select('id', knex.raw(`${keyExpr} as k`))
    .orderBy([
      { column: 'timestamp', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .offset(DEEP - 1)
    .limit(1)) as { id: number | string; k: string }[];
  const cursor = encodeCursor('desc', [String(before?.k), String(before?.id)]);
  const byCursor = await service.list({ cursor, limit: 50 });
  const byOffset = await service.list({ offset: DEEP, limit: 50 });
  const same =
    byCursor.results.map((e) => e.id).join() === byOffset.results.map((e) => e.id).join();

  const page1 = await median(() => service.list({ limit: 50 }));
  const page1Tool = await median(() => service.list({ tool: 'tool_0', limit: 50 }));
  const deepCursor = await median(() => service.list({ cursor, limit: 50 }));
  const deepOffset = await median(() => service.list({ offset: DEEP, limit: 50 }));
  const object = await median(() =>
    service.list({ objectType: 'Item', objectId: '4242', limit: 50 }),
  );
  const countTool = await median(() =>
    service.list({ tool: 'tool_0', limit: 50, withCount: true }),
  );
  const countRare = await median(() =>
    service.list({ tool: 'tool_49', limit: 50, withCount: true }),
  );
  const matches = async (tool: string) =>
    ((await service.list({ tool, limit: 1, withCount: true })).count ?? 0).toLocaleString('en');
  const [many, few] = [await matches('tool_0'), await matches('tool_49')];
  await knex.schema.dropTableIfExists(table);
  const row = (what: string, t: number, note = '') =>
    `| ${target.name} | ${what} | ${ms(t)} ms | ${note} |`;
  return {
    loadMs,
    lines: [
      row('page 1, no filter', page1),
      row(`page 1 by tool (\`tool_0\`, ${many} matches)`, page1Tool),
      row(
        `deep page by cursor (after row ${DEEP.toLocaleString('en')})`,
        deepCursor,
        `**${ratio(deepCursor / page1)}** of page 1, ${ratio(deepCursor / page1Tool)} of page 1 by tool (target ≤ 2×); same rows as OFFSET: ${same ? 'yes' : 'NO'}`,
      ),
      row(
        `deep page by OFFSET ${DEEP.toLocaleString('en')}`,
        deepOffset,
        `cursor is ${ratio(deepOffset / deepCursor)} faster`,
      ),
      row('per-object history (100 entries, page of 50)', object),
      row(`page 1 by tool + count (\`tool_0\`, ${many} matches)`, countTool),
      row(`page 1 by tool + count (\`tool_49\`, ${few} matches)`, countRare),
    ],
  };
}

/** Runs the suite and returns its Markdown section of bench/RESULTS.md. */
export async function run(): Promise<string> {
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'eventlog-bench-knex-'));
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(dir, 'bench.db') },
    useNullAsDefault: true,
  });
  // WAL with synchronous=NORMAL: the usual production setting for an application's SQLite file.
  await sqlite.raw('PRAGMA journal_mode = WAL');
  await sqlite.raw('PRAGMA synchronous = NORMAL');
  const targets: Target[] = [{ name: 'SQLite file', knex: sqlite, chunk: 500 }];
  let pgNote = '';
  const server = await startPostgres().catch((e: Error) => {
    pgNote = `PostgreSQL skipped: ${e.message.split('\n')[0]}`;
    return undefined;
  });
  let pgVersion = '';
  if (server) {
    const knex = knexFactory({ client: 'pg', connection: server.url, pool: { min: 1, max: 2 } });
    pgVersion = ((await knex.raw('SHOW server_version')) as { rows: { server_version: string }[] })
      .rows[0]?.server_version as string;
    targets.push({ name: 'PostgreSQL', knex, chunk: 2000, copy: { url: server.url, dir } });
  }
  const sqliteVersion = ((await sqlite.raw('select sqlite_version() as v')) as { v: string }[])[0]
    ?.v;

  const writeLines: string[] = [];
  const writeTotals: string[] = [];
  const readLines: string[] = [];
  const loads: string[] = [];
  try {
    for (const target of targets) {
      console.log(`knex bench: writes on ${target.name}`);
      const w = await writes(target);
      writeLines.push(...w.lines);
      writeTotals.push(w.totals);
      if (WRITES_ONLY) continue;
      console.log(`knex bench: 1M-row reads on ${target.name}`);
      const r = await reads(target);
      readLines.push(...r.lines);
      loads.push(`${target.name} ${(r.loadMs / 1000).toFixed(1)} s`);
    }
  } finally {
    for (const t of targets) await t.knex.destroy();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const total = (performance.now() - started) / 1000;
  const readsPart = WRITES_ONLY ? await lastReads() : undefined;
  return [
    '## knex adapter (`@eventlog/adapter-knex`)',
    '',
    SCALE > 1
      ? `**Reduced run (\`BENCH_KNEX_QUICK=1\`): every size a tenth of the full suite's (the \`psql \\copy\` comparison at ${COPY.toLocaleString('en')} entries, not 100,000).**\n`
      : '',
    WRITES_ONLY
      ? '**Writes only (`BENCH_KNEX_ONLY=writes npm run bench -- knex`): the write rows below are this run; the reads were not run, and their section is the last full run, kept as it was.**\n'
      : '',
    `Command: \`npm run bench -- knex\` · ${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'} (shared with other work) · SQLite ${sqliteVersion} (file, WAL, synchronous=NORMAL) · PostgreSQL ${pgVersion || 'n/a'} (throwaway local cluster: fsync=off, synchronous_commit=off) · whole suite ${total.toFixed(0)} s.`,
    pgNote ? `\n${pgNote}\n` : '',
    `Writes: \`EventLogService\` (validation, template, redaction, then the adapter), the adapter alone (\`storage.insert\` of already prepared entries) and hand-written knex writing what eventlog stores for the same input (same transaction shape, same chunking). The fair baseline: eventlog stores each entry's row and one changed-keys row per key its changes name (what key search reads), all or nothing; so the hand-written side inserts the row, takes its id (\`RETURNING id\` on PostgreSQL, the last rowid on SQLite) and inserts the changed-keys rows, in the same transaction. For \`log()\` it is the fastest such code through knex: SQL text built once and sent with \`knex.raw\` (no query builder per call), each statement a named prepared statement on PostgreSQL, as eventlog's own \`log()\` is (earlier runs used the query builder and unnamed statements: a slower baseline) — a baseline that wrote the entry row alone would be writing less than the same row (bench runs before 2026-12-02 did, which made \`log()\` look slower than it was). Ratio = raw time / measured time (1.00× = as fast as by hand). \`log()\`: after ${LOG_WARMUP} untimed calls each, the three run interleaved in blocks of ${BLOCK} calls, rotating which goes first; times are the median block per call and the ratio is the median of per-block ratios (a WAL checkpoint or a burst from another process lands in one block, and would otherwise be charged to whichever side it hit). \`logMany\`: ${MANY_ROUNDS} rounds, each running the three once in a rotated order; times are medians and the ratio is the median of per-round ratios. On PostgreSQL, \`logMany\` of ${COPY.toLocaleString('en')} entries also runs against \`psql \\copy\` of the same rows, ids included, and their changed-keys rows from CSV files written beforehand, in one transaction (\`psql -1\`; the ceiling: PostgreSQL's bulk path, psql's start included), ${MANY_ROUNDS} rounds in a rotated order.`,
    '',
    '| database | operation | service | storage alone | raw knex | service ratio | storage ratio |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...writeLines,
    '',
    `The service ratios as raw total time / service total time over the same calls instead (every burst counted where it landed; the statistic of the runs before 2026-11-26): ${writeTotals.join('; ')}.`,
    '',
    `Machine load average at the end (1 / 5 / 15 min): ${loadavg()
      .map((x) => x.toFixed(1))
      .join(
        ' / ',
      )} on ${cpus().length} cores shared with other work: absolute times move with it; the ratios of blocks run side by side are the numbers to read.`,
    '',
    ...(readsPart !== undefined ? [readsPart] : readSection(readLines, loads)),
  ].join('\n');
}

/** The reads part of the knex section as bench/RESULTS.md holds it now (writes-only runs). */
async function lastReads(): Promise<string> {
  const results = await readFile(new URL('../RESULTS.md', import.meta.url), 'utf8');
  const section = results.slice(results.indexOf('<!-- bench:knex -->'));
  const start = section.indexOf('Reads at ');
  const end = section.indexOf('<!-- /bench:knex -->');
  return start >= 0 && start < end ? section.slice(start, end).trimEnd() : '(no earlier reads)';
}

/** The Markdown of the reads part: the 1M-row reads (`list()` against its own SQL: bench/reads). */
function readSection(readLines: string[], loads: string[]): string[] {
  return [
    `Reads at ${ROWS.toLocaleString('en')} rows (50 tools skewed, 10,000 objects, 100 actors; bulk-loaded in SQL: ${loads.join(', ')}), through \`EventLogService.list()\`, median of 50 each, pages of 50:`,
    '',
    '| database | query | median | note |',
    '| --- | --- | --- | --- |',
    ...readLines,
  ];
}
