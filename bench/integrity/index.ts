/**
 * `npm run bench -- integrity`: the cost of the hash chain on `log()` (with and without integrity,
 * interleaved in one run, on a SQLite file and on PostgreSQL) and `eventlog export` of 1M rows to
 * CSV in its own process, with its peak RSS, parsed back with csv-parse.
 */

import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chainHeadsTableName, createEventLogTable, knexStorage } from '@eventlog/adapter-knex';
import { EventLogService, type LogInput } from '@eventlog/core';
import { startPostgres } from '@eventlog/test-servers/postgres';
import { parse } from 'csv-parse';
import knexFactory, { type Knex } from 'knex';
import { interleave, ms, ratio, time, totals } from '../knex/measure';

// BENCH_INTEGRITY_QUICK=1: a smoke run at a hundredth of the size (the numbers are not the results).
const QUICK = process.env.BENCH_INTEGRITY_QUICK === '1';
// BENCH_INTEGRITY_ONLY=writes: the cost of the chain on writes only; the 1M-row export (loading
// it takes the longest) is not run, and its last full run's text is kept.
const WRITES_ONLY = process.env.BENCH_INTEGRITY_ONLY === 'writes';
const LOG_ROUNDS = QUICK ? 200 : 2000;
const MANY_ROUNDS = QUICK ? 4 : 40;
const MANY_SIZE = 1000;
const EXPORT_ROWS = QUICK ? 10_000 : 1_000_000;
const exec = promisify(execFile);
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const child = fileURLToPath(new URL('./export-child.ts', import.meta.url));

const input = (i: number): LogInput => ({
  template: 'Item {item__name} was updated',
  values: { item__name: { name: `Item ${i % 10_000}` } },
  object: { type: 'Item', id: i % 10_000 },
  actor: { id: `user_${i % 100}`, label: `User ${i % 100}` },
  tool: `tool_${i % 50}`,
  action: 'update',
  changes: { oldValue: { name: 'a', n: i }, newValue: { name: 'b', n: i + 1 } },
  metadata: { ip: '127.0.0.1' },
});

/** The rows of `logCost`: `log()`, then `logMany(1,000)`. */
async function logCost(name: string, knex: Knex): Promise<string[]> {
  const table = `bench_integrity_${Math.random().toString(36).slice(2, 8)}`;
  await createEventLogTable(knex, { tableName: table });
  const storage = knexStorage(knex, { tableName: table });
  const plain = new EventLogService(storage);
  const chained = new EventLogService(storage, { integrity: {} });
  let i = 0;
  try {
    // A-B then B-A, so neither side always runs on the warmer cache.
    const [a1 = 0, b1 = 0] = totals(
      await interleave(
        [() => plain.log(input(i++)), () => chained.log(input(i++))],
        LOG_ROUNDS / 2,
      ),
    );
    const [b2 = 0, a2 = 0] = totals(
      await interleave(
        [() => chained.log(input(i++)), () => plain.log(input(i++))],
        LOG_ROUNDS / 2,
      ),
    );
    const off = (a1 + a2) / LOG_ROUNDS;
    const on = (b1 + b2) / LOG_ROUNDS;
    const batch = () => Array.from({ length: MANY_SIZE }, () => input(i++));
    const [c1 = 0, d1 = 0] = totals(
      await interleave(
        [() => plain.logMany(batch()), () => chained.logMany(batch())],
        MANY_ROUNDS / 2,
        2,
      ),
    );
    const [d2 = 0, c2 = 0] = totals(
      await interleave(
        [() => chained.logMany(batch()), () => plain.logMany(batch())],
        MANY_ROUNDS / 2,
        2,
      ),
    );
    const manyOff = (c1 + c2) / MANY_ROUNDS;
    const manyOn = (d1 + d2) / MANY_ROUNDS;
    // The plain service's rows share the table outside the chain: verify reports exactly those.
    const chainedRows = LOG_ROUNDS + MANY_ROUNDS * MANY_SIZE;
    const verified = await chained.verify({ partition: 'default' });
    const [chain] = verified.partitions;
    const intact = chain?.checked === chainedRows && chain.firstBroken?.seq === 0;
    if (!intact || chain?.unchained?.count !== chainedRows)
      throw new Error(`chain did not verify: ${JSON.stringify(verified)}`);
    return [
      `| ${name} | \`log()\` | ${ms(off * 1000)} µs | ${ms(on * 1000)} µs | ${ratio(on / off)} |`,
      `| ${name} | \`logMany(1,000)\` | ${ms(manyOff)} ms | ${ms(manyOn)} ms | ${ratio(manyOn / manyOff)} |`,
    ];
  } finally {
    await knex.schema.dropTableIfExists(chainHeadsTableName(table));
    await knex.schema.dropTableIfExists(table);
  }
}

async function exportMillion(dir: string): Promise<string[]> {
  const file = join(dir, 'export.db');
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
  });
  await knex.raw('PRAGMA journal_mode = WAL');
  await createEventLogTable(knex);
  const service = new EventLogService(knexStorage(knex), { integrity: {} });
  const load = await time(async () => {
    for (let start = 0; start < EXPORT_ROWS; start += 1000) {
      await service.logMany(Array.from({ length: 1000 }, (_, k) => input(start + k)));
    }
  });
  const csv = join(dir, 'export.csv');
  let report = { code: -1, maxRssKiB: 0 };
  const exportMs = await time(async () => {
    const { stderr } = await exec(
      tsx,
      [
        '--conditions=@eventlog/source',
        child,
        'export',
        '--db',
        `sqlite:${file}`,
        '--format',
        'csv',
        '--out',
        csv,
      ],
      { maxBuffer: 1 << 20 },
    );
    report = JSON.parse(stderr.trim().split('\n').pop() as string);
  });
  // Parse it back with a real CSV parser, streaming, and compare a sample with the database.
  let rows = 0;
  let previous = 0;
  const samples: Record<string, string>[] = [];
  for await (const record of createReadStream(csv).pipe(parse({ columns: true }))) {
    rows++;
    const id = Number((record as { id: string }).id);
    if (id <= previous) throw new Error(`export out of order at row ${rows}`);
    previous = id;
    if (rows % 100_000 === 1) samples.push(record as Record<string, string>);
  }
  if (rows !== EXPORT_ROWS) throw new Error(`parsed ${rows} rows, expected ${EXPORT_ROWS}`);
  for (const s of samples) {
    const stored = await service.get(s.id as string);
    if (
      stored === null ||
      stored.message !== s.message ||
      stored.hash !== s.hash ||
      JSON.stringify(stored.changes) !== s.changes
    ) {
      throw new Error(`row ${s.id} differs from the database`);
    }
  }
  const size = (await stat(csv)).size;
  await knex.destroy();
  return [
    `| rows | ${EXPORT_ROWS.toLocaleString('en')} (loaded through logMany with integrity on in ${(load / 1000).toFixed(0)} s) |`,
    `| CSV size | ${(size / 1024 / 1024).toFixed(0)} MiB |`,
    `| export wall time | ${(exportMs / 1000).toFixed(1)} s (exit ${report.code}) |`,
    `| peak RSS of the export process | ${(report.maxRssKiB / 1024).toFixed(0)} MiB (includes tsx compiling the sources) |`,
    `| parsed back (csv-parse, streaming) | ${rows.toLocaleString('en')} records, ids ascending, ${samples.length} sampled rows equal to the database |`,
  ];
}

/** The export part of the integrity section as bench/RESULTS.md holds it now (writes-only runs). */
async function lastExport(): Promise<string> {
  const results = await readFile(new URL('../RESULTS.md', import.meta.url), 'utf8');
  const section = results.slice(results.indexOf('<!-- bench:integrity -->'));
  const start = section.indexOf('### `eventlog export');
  const end = section.indexOf('<!-- /bench:integrity -->');
  return start >= 0 && start < end
    ? section.slice(start, end).trimEnd()
    : '(no earlier export run)';
}

export async function run(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'eventlog-bench-integrity-'));
  const pg = await startPostgres();
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(dir, 'log.db') },
    useNullAsDefault: true,
  });
  const postgres = knexFactory({ client: 'pg', connection: pg.url, pool: { min: 1, max: 4 } });
  try {
    const lines = [
      `## integrity (hash chain)`,
      '',
      `${QUICK ? '**Smoke run (BENCH_INTEGRITY_QUICK=1): not the results.** ' : ''}${WRITES_ONLY ? '**Writes only (`BENCH_INTEGRITY_ONLY=writes`): the export below was not run; it is the last full run, kept as it was.** ' : ''}Node ${process.version}, ${cpus().length} cores (shared with other work). Command: \`npm run bench -- integrity\`.`,
      '',
      `### Cost of the chain on writes (\`log()\`: ${LOG_ROUNDS} calls each side, interleaved in blocks of 20; \`logMany(1,000)\`: ${MANY_ROUNDS} calls each side, in blocks of 2; A-B then B-A)`,
      '',
      `Machine load when the suite started: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(', ')} (1, 5, 15 min).`,
      '',
      '| database | call | integrity off | integrity on | ratio |',
      '| --- | --- | --- | --- | --- |',
      ...(await logCost('SQLite file', sqlite)),
      ...(await logCost('PostgreSQL', postgres)),
      '',
      'Each entry in the benchmark has changes, so a plain `log()` writes the entry and its changed-keys rows together (PostgreSQL: one statement; SQLite: one transaction). With integrity, core hashes each entry (SHA-256 of its canonical JSON) before the storage is called; on PostgreSQL the append is then one statement, prepared once per connection (lock the head row `FOR UPDATE`, link the entries with `sha256()` in the database, each reading its content hash by position, insert them and their changed keys, move the head), on SQLite one transaction (lock-and-read the head with `UPDATE … RETURNING`, INSERT, changed keys, move the head). The chain written during the run is verified afterwards.',
      '',
      ...(WRITES_ONLY
        ? [await lastExport()]
        : [
            '### `eventlog export --format csv` (SQLite file)',
            '',
            '| | |',
            '| --- | --- |',
            ...(await exportMillion(dir)),
          ]),
    ];
    return lines.join('\n');
  } finally {
    await sqlite.destroy();
    await postgres.destroy();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
