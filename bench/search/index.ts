/**
 * `npm run bench -- search`: `search` served by the index (PostgreSQL pg_trgm, SQLite FTS5
 * trigram) against the same query scanning, at 1,000,000 rows (BENCH_SEARCH_ROWS to change) on
 * PostgreSQL (a throwaway cluster, or EVENTLOG_PG_URL) and a SQLite file, in one process; and
 * `log()` / `logMany()` with the index against a table without it.
 */

import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { createEventLogTable, eventLogSearchMigration, knexStorage } from '@eventlog/adapter-knex';
import { type EventLogQuery, EventLogService, type LogInput } from '@eventlog/core';
import type { Knex } from 'knex';
import { blockRatio, interleave, median, ms, ratio, time } from '../knex/measure';
import { type Backend, onSqliteThenPostgres } from '../sqlite-then-postgres';
import { ABSENT_WORD, COMMON_WORD, loadRows, RARE_TOOL } from './load';

// BENCH_SEARCH_QUICK=1: a smoke run at a hundredth of the size (the numbers are not the results).
const SCALE = process.env.BENCH_SEARCH_QUICK === '1' ? 100 : 1;
// BENCH_SEARCH_ONLY=postgres (or sqlite): that backend only; the other's part is its last run's
// text, kept.
const ONLY = process.env.BENCH_SEARCH_ONLY;
// BENCH_SEARCH_ROWS: the rows per backend (1,000,000 by default).
const ROWS = Number(process.env.BENCH_SEARCH_ROWS ?? 1_000_000) / SCALE;
const SCAN_RUNS = 3;
const INDEXED_RUNS = 30;
const ANALYZE_RUNS = 10;
const LOG_ROUNDS = 1000;
const MANY = 1000;
const MANY_ROUNDS = 20;
const TABLE = 'bench_search';

const QUERIES: { name: string; query: EventLogQuery }[] = [
  { name: `a word in no message ("${ABSENT_WORD}"; goal < 50 ms)`, query: { search: ABSENT_WORD } },
  {
    name: `a 1% word ("${COMMON_WORD}") in the rarest tool (${RARE_TOOL}, ~1% of rows: ~${(ROWS / 10_000).toLocaleString('en')} matches; goal < 5 ms)`,
    query: { search: COMMON_WORD, tool: RARE_TOOL },
  },
  { name: `the 1% word alone, newest page`, query: { search: COMMON_WORD } },
];

/** The last page statement `find(query)` runs (the one whose rows it answers), as knex reports it. */
async function statementOf(knex: Knex, run: () => Promise<unknown>) {
  let seen: { sql: string; bindings: unknown[] } | undefined;
  const listener = (q: { sql: string; bindings: unknown[] }) => {
    if (/^\s*(select \*|with )/i.test(q.sql)) seen = q;
  };
  knex.on('query', listener);
  await run();
  knex.off('query', listener);
  if (!seen) throw new Error('bench search: no SELECT seen');
  return seen;
}

/** The plan of a statement, one line per node, costs and row estimates left out. */
async function planOf(knex: Knex, sql: string, bindings: unknown[]): Promise<string> {
  const pg = knex.client.dialect === 'postgresql';
  // pg's statements number their placeholders; knex.raw takes `?`.
  const text = sql.replace(/\$\d+/g, '?');
  const result = await knex.raw(`${pg ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN'} ${text}`, bindings as []);
  const lines = pg
    ? (result as { rows: { 'QUERY PLAN': string }[] }).rows.map((r) => r['QUERY PLAN'])
    : (result as { detail: string }[]).map((r) => r.detail);
  return lines
    .map((l) => l.replace(/\s*\(cost=[^)]*\)/, '').trimEnd())
    .filter((l) => !/^\s*(Filter|Recheck Cond|Index Cond|Sort Key):/.test(l))
    .join(' / ');
}

const input = (i: number): LogInput => ({
  template: 'Item {item__name} was updated',
  values: { item__name: { name: `Item ${i % 10_000}` } },
  object: { type: 'Item', id: i % 10_000 },
  actor: { id: `user_${i % 100}`, label: `User ${i % 100}` },
  tool: `tool_${i % 50}`,
  action: 'update',
});

async function searches(knex: Knex): Promise<string[]> {
  const pg = knex.client.dialect === 'postgresql';
  const search = eventLogSearchMigration({ tableName: TABLE });
  await knex.schema.dropTableIfExists(TABLE);
  await createEventLogTable(knex, { tableName: TABLE });
  await search.down(knex);
  const loadMs = await time(() => loadRows(knex, TABLE, ROWS));
  const service = new EventLogService(knexStorage(knex, { tableName: TABLE }));
  const lines: string[] = [`- load of ${ROWS.toLocaleString('en')} rows in SQL: ${ms(loadMs)} ms`];

  const scans = [];
  for (const { query } of QUERIES) {
    const statement = await statementOf(knex, () => service.list(query));
    const plan = await planOf(knex, statement.sql, statement.bindings);
    scans.push({ ms: await median(() => service.list(query), SCAN_RUNS, 1), plan });
  }
  const migrateMs = await time(() => search.up(knex));
  if (pg) await knex.raw('ANALYZE ??', [TABLE]);
  lines.push(`- \`eventLogSearchMigration().up\` (index the stored rows): ${ms(migrateMs)} ms`);
  lines.push(
    '',
    '| query | scan (no index) | indexed | scan ÷ indexed | plan with the index |',
    '| --- | ---: | ---: | ---: | --- |',
  );
  const plans: Set<string>[] = [];
  for (const [k, { name, query }] of QUERIES.entries()) {
    const statement = await statementOf(knex, () => service.list(query));
    const indexed = await median(() => service.list(query), INDEXED_RUNS, 3);
    const plan = await planOf(knex, statement.sql, statement.bindings);
    const scan = scans[k] as { ms: number; plan: string };
    lines.push(
      `| ${name} | ${ms(scan.ms)} ms | ${ms(indexed)} ms | ${ratio(scan.ms / indexed)} | \`${plan}\` |`,
    );
    plans.push(new Set([plan]));
  }
  lines.push('', `Plans without the index: ${scans.map((s) => `\`${s.plan}\``).join('; ')}.`);
  // The planner's estimates come from a sample: re-ANALYZE and see whether the plan holds.
  for (let run = 0; run < ANALYZE_RUNS; run++) {
    await knex.raw(pg ? 'ANALYZE ??' : 'ANALYZE', pg ? [TABLE] : []);
    for (const [k, { query }] of QUERIES.entries()) {
      const statement = await statementOf(knex, () => service.list(query));
      plans[k]?.add(await planOf(knex, statement.sql, statement.bindings));
    }
  }
  for (const [k, { name }] of QUERIES.entries()) {
    const seen = [...(plans[k] as Set<string>)];
    lines.push(
      seen.length === 1
        ? `- ${name}: the plan held over ${ANALYZE_RUNS} ANALYZE runs.`
        : `- ${name}: ${seen.length} plans over ${ANALYZE_RUNS} ANALYZE runs: ${seen.map((p) => `\`${p}\``).join('; ')}.`,
    );
  }
  await knex.schema.dropTableIfExists(TABLE);
  return lines;
}

async function writes(knex: Knex): Promise<string[]> {
  const [withIndex, without] = ['bench_search_on', 'bench_search_off'];
  for (const t of [withIndex, without]) {
    await knex.schema.dropTableIfExists(t);
    await createEventLogTable(knex, { tableName: t });
  }
  await eventLogSearchMigration({ tableName: without }).down(knex);
  const on = new EventLogService(knexStorage(knex, { tableName: withIndex }));
  const off = new EventLogService(knexStorage(knex, { tableName: without }));
  let i = 0;
  const one = (s: EventLogService<Knex.Transaction>) => () => s.log(input(i++));
  await interleave([one(off), one(on)], 100, 20);
  const [logOff, logOn] = await interleave([one(off), one(on)], LOG_ROUNDS, 20);
  const inputs = Array.from({ length: MANY }, (_, k) => input(k));
  const many = (s: EventLogService<Knex.Transaction>) => () => s.logMany(inputs);
  const [manyOff, manyOn] = await interleave([many(off), many(on)], MANY_ROUNDS, 1);
  for (const t of [withIndex, without]) await knex.schema.dropTableIfExists(t);
  const perSecond = (total: number, n: number) =>
    Math.round((n / total) * 1000).toLocaleString('en');
  const [lo, ln, mo, mn] = [logOff, logOn, manyOff, manyOn].map((m) => m?.total ?? 0) as [
    number,
    number,
    number,
    number,
  ];
  return [
    '',
    '| write | without the search index | with it | throughput ratio (goal ≥ 0.80×) |',
    '| --- | ---: | ---: | ---: |',
    `| \`log()\` × ${LOG_ROUNDS} | ${perSecond(lo, LOG_ROUNDS)}/s | ${perSecond(ln, LOG_ROUNDS)}/s | ${ratio(blockRatio(logOff as never, logOn as never))} |`,
    `| \`logMany(${MANY})\` × ${MANY_ROUNDS} | ${perSecond(mo, MANY * MANY_ROUNDS)}/s | ${perSecond(mn, MANY * MANY_ROUNDS)}/s | ${ratio(blockRatio(manyOff as never, manyOn as never))} |`,
  ];
}

async function section({ name, knex }: Backend): Promise<string> {
  return [`### ${name}`, '', ...(await searches(knex)), ...(await writes(knex))].join('\n');
}

/**
 * The part of the search section headed `### {name}` as bench/RESULTS.md holds it now, for a run
 * of the other backend only (BENCH_SEARCH_ONLY).
 */
async function lastPart(name: 'SQLite' | 'PostgreSQL'): Promise<string> {
  const results = await readFile(new URL('../RESULTS.md', import.meta.url), 'utf8');
  const section = results.slice(
    results.indexOf('<!-- bench:search -->'),
    results.indexOf('<!-- /bench:search -->'),
  );
  const start = section.indexOf(`### ${name}`);
  const next = section.indexOf('\n### ', start + 1);
  const finished = section.lastIndexOf('\nFinished at');
  const end = next >= 0 ? next : finished >= 0 ? finished : section.length;
  const note = `(BENCH_SEARCH_ONLY=${ONLY}: the ${name} part above is its last run, kept as it was.)`;
  const kept = start >= 0 ? section.slice(start, end) : `### ${name}\n`;
  return `${kept.replace(/\n\(BENCH_SEARCH_ONLY=[^\n]*\n?/g, '\n').trimEnd()}\n\n${note}`;
}

export async function run(): Promise<string> {
  const started = `load ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')} on ${cpus().length} cores`;
  const knobs = ['BENCH_SEARCH_ROWS', 'BENCH_SEARCH_ONLY']
    .flatMap((k) => (process.env[k] ? [`${k}=${process.env[k]} `] : []))
    .join('');
  const out = [
    '## search: indexed vs scan',
    '',
    `Command: \`${knobs}npm run bench -- search\`${SCALE === 1 ? '' : ' (BENCH_SEARCH_QUICK=1: a smoke run)'}. ${ROWS.toLocaleString('en')} rows per backend, loaded in SQL; every figure is a median, each ratio against its baseline in the same run (the scan: the same query before \`eventLogSearchMigration\` indexed the table; writes: a table without the index). Started at ${started}.`,
    '',
  ];
  const kept = (name: 'SQLite' | 'PostgreSQL') => () => lastPart(name);
  out.push(
    (
      await onSqliteThenPostgres(section, {
        sqlite: ONLY === 'postgres' ? kept('SQLite') : undefined,
        postgres: ONLY === 'sqlite' ? kept('PostgreSQL') : undefined,
      })
    ).join('\n\n'),
  );
  out.push(
    '',
    `Finished at load ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}.`,
  );
  return out.join('\n');
}
