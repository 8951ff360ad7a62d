/**
 * `npm run bench -- counts`: `list({ withCount: true })` (counts up to `DEFAULT_COUNT_LIMIT`
 * matches, then marks the count as a lower bound) against `withCount: 'exact'` (every match) on
 * the same rows, in one process: a SQLite file at 1,000,000 rows and PostgreSQL (a throwaway
 * cluster, or EVENTLOG_PG_URL) at 5,000,000 (BENCH_COUNTS_PG_ROWS to change).
 */

import { cpus, loadavg } from 'node:os';
import { createEventLogTable, knexStorage } from '@eventlog/adapter-knex';
import { DEFAULT_COUNT_LIMIT, type EventLogQuery, EventLogService } from '@eventlog/core';
import { interleave, medianOf, ms, ratio, time } from '../knex/measure';
import { loadRows, RARE_TOOL } from '../search/load';
import { type Backend, onSqliteThenPostgres } from '../sqlite-then-postgres';

// BENCH_COUNTS_QUICK=1: a smoke run at a hundredth of the size (the numbers are not the results).
const SCALE = process.env.BENCH_COUNTS_QUICK === '1' ? 100 : 1;
const SQLITE_ROWS = 1_000_000 / SCALE;
const PG_ROWS = Number(process.env.BENCH_COUNTS_PG_ROWS ?? 5_000_000) / SCALE;
/** Calls of each kind per query, interleaved in blocks of `BLOCK`. */
const ROUNDS = 20;
const BLOCK = 2;
const TABLE = 'bench_counts';

const QUERIES: { name: string; query: EventLogQuery }[] = [
  { name: 'the most common tool (`tool_0`, ~14% of rows)', query: { tool: 'tool_0' } },
  { name: `the rarest tool (\`${RARE_TOOL}\`, ~1%)`, query: { tool: RARE_TOOL } },
  { name: 'no filter (every row)', query: {} },
  {
    name: 'one object (`Item` 42: fewer matches than the limit, so both exact)',
    query: { objectType: 'Item', objectId: '42' },
  },
];

async function section({ name, knex, postgres }: Backend): Promise<string> {
  const rows = postgres ? PG_ROWS : SQLITE_ROWS;
  await knex.schema.dropTableIfExists(TABLE);
  await createEventLogTable(knex, { tableName: TABLE });
  const loadMs = await time(() => loadRows(knex, TABLE, rows));
  const service = new EventLogService(knexStorage(knex, { tableName: TABLE }));
  const out = [
    `### ${name}: ${rows.toLocaleString('en')} rows (loaded in SQL in ${(loadMs / 1000).toFixed(0)} s)`,
    '',
    "| page 1 of 50 + count | matches (exact) | no count (the page alone) | `withCount: true` | count it gives | `withCount: 'exact'` | exact time / capped time |",
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { name: label, query } of QUERIES) {
    const capped = () => service.list({ ...query, limit: 50, withCount: true });
    const exact = () => service.list({ ...query, limit: 50, withCount: 'exact' });
    const bare = () => service.list({ ...query, limit: 50 });
    const [c, e] = [await capped(), await exact()];
    const measured = await interleave([bare, capped, exact], ROUNDS, BLOCK);
    const [tb, tc, te] = measured.map((m) => medianOf(m.blocks) / BLOCK) as [
      number,
      number,
      number,
    ];
    const given = `${(c.count ?? 0).toLocaleString('en')}${c.countExact ? '' : '+'}`;
    out.push(
      `| ${label} | ${(e.count ?? 0).toLocaleString('en')} | ${ms(tb)} | ${ms(tc)} | ${given} | ${ms(te)} | ${ratio(te / tc)} |`,
    );
  }
  await knex.schema.dropTableIfExists(TABLE);
  return out.join('\n');
}

const load = () =>
  `load ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')} on ${cpus().length} cores`;

export async function run(): Promise<string> {
  const out = [
    '## counts: capped vs exact',
    '',
    `Command: \`npm run bench -- counts\`${SCALE === 1 ? '' : ' (BENCH_COUNTS_QUICK=1: a smoke run)'}. Rows loaded in SQL as in the search bench (50 tools skewed, 10,000 objects, 100 actors). Each row: \`EventLogService.list()\` of one page of 50 with \`withCount: true\` (capped at DEFAULT_COUNT_LIMIT = ${DEFAULT_COUNT_LIMIT.toLocaleString('en')}; the count shown with + when it is a lower bound, \`countExact: false\`) against the same call with \`withCount: 'exact'\` (the count every version before counted) and without a count (what the page alone costs), ${ROUNDS} calls each interleaved in blocks of ${BLOCK}, median block per call. Started at ${load()}.`,
    '',
  ];
  out.push((await onSqliteThenPostgres(section)).join('\n\n'));
  out.push('', `Finished at ${load()}.`);
  return out.join('\n');
}
