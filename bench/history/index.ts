/**
 * `npm run bench -- history`: history reads and writes at 1,000,000 rows (env
 * HISTORY_BENCH_ROWS), through knex on a SQLite file and on a throwaway PostgreSQL, each figure
 * a ratio to a baseline run interleaved with it in the same process:
 * - `stateAt` of an object with 1,000 entries vs `listForObject` of the same 1,000 entries;
 * - `list({ changedKey })` page 1 for a key 1% of entries touch vs page 1 by tool, with the plans;
 * - `logMany` of entries with changes (changed-keys rows written) vs the same entries stored
 *   with that JSON in `metadata` (nothing to index: one INSERT, no side-table rows).
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chainHeadsTableName, createEventLogTable, knexStorage } from '@eventlog/adapter-knex';
import { EventLogService, type LogInput } from '@eventlog/core';
import { startPostgres } from '@eventlog/test-servers/postgres';
import knexFactory, { type Knex } from 'knex';
import { blockRatio, type Interleaved, interleave, ms, ratio } from '../knex/measure';
import { changedKeysOf, HOT_EVERY, loadRows } from './load';

const ROWS = Number(process.env.HISTORY_BENCH_ROWS ?? 1_000_000);
const HOT = { type: 'Item', id: 'hot' };
const BATCH = 500;

interface Statement {
  sql: string;
  bindings: unknown[];
}

/** Per-call ms of one side of an interleaved run. */
const perCall = (m: Interleaved, calls: number) => m.total / calls;

/** The statements `fn` sends through `knex`. */
async function statementsOf(knex: Knex, fn: () => Promise<unknown>): Promise<Statement[]> {
  const seen: Statement[] = [];
  const listen = (q: { sql: string; bindings?: unknown[] }) =>
    seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  knex.on('query', listen);
  try {
    await fn();
  } finally {
    knex.off('query', listen);
  }
  return seen;
}

/** The plan of one captured statement, one line per plan node. */
async function planOf(knex: Knex, { sql, bindings }: Statement): Promise<string> {
  if (knex.client.dialect === 'postgresql') {
    // The event shows pg's `$n` placeholders; knex.raw takes `?`, in the same order.
    const res = (await knex.raw(
      `EXPLAIN ${sql.replace(/\$\d+/g, '?')}`,
      bindings as Knex.RawBinding[],
    )) as {
      rows: { 'QUERY PLAN': string }[];
    };
    return res.rows.map((r) => r['QUERY PLAN']).join(' / ');
  }
  const rows = (await knex.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings as Knex.RawBinding[])) as {
    detail: string;
  }[];
  return rows.map((r) => r.detail).join(' / ');
}

const change = (i: number) => ({
  oldValue: { status: `s${i}` },
  newValue: { status: `s${i + 1}` },
});

/** `BATCH` inputs with changes. */
function batch(start: number): LogInput[] {
  return Array.from({ length: BATCH }, (_, k) => ({
    template: 'Item {item__name} was updated',
    values: { item__name: { name: `Item ${start + k}` } },
    object: { type: 'Item', id: (start + k) % 10_000 },
    tool: `tool_${k % 50}`,
    action: 'update',
    changes: change(start + k),
  }));
}

async function measure(name: string, knex: Knex): Promise<{ rows: string[]; notes: string[] }> {
  const table = `bench_history_${Math.random().toString(36).slice(2, 8)}`;
  await createEventLogTable(knex, { tableName: table });
  try {
    console.log(`history bench: loading ${ROWS} rows on ${name}`);
    const t0 = performance.now();
    await loadRows(knex, table, ROWS);
    const loadS = (performance.now() - t0) / 1000;
    const storage = knexStorage(knex, { tableName: table });
    const service = new EventLogService(storage);
    // The same entries through the same adapter with nothing to index: the changes JSON goes
    // to `metadata` after core has prepared it, so core's work and the row bytes are the same,
    // and only the changed-keys rows (and the transaction they need) differ.
    const unindexed = new EventLogService({
      ...storage,
      insert: (entries, options) =>
        storage.insert(
          entries.map((e) => ({ ...e, changes: null, metadata: e.changes })),
          options,
        ),
    });

    // (a) stateAt vs listForObject of the same entries.
    const hotEntries = Math.floor(ROWS / HOT_EVERY);
    const list = () => service.listForObject(HOT, { limit: hotEntries, order: 'asc' });
    const state = () => service.stateAt(HOT);
    const stateReads = await statementsOf(knex, state);
    const folded = await state();
    if (folded.state?.status !== `s${hotEntries * HOT_EVERY}`) {
      throw new Error(`stateAt folded ${JSON.stringify(folded)}`);
    }
    if ((await list()).results.length !== hotEntries) throw new Error('listForObject short');
    const [listM, stateM] = (await interleave([list, state], 40, 5)) as [Interleaved, Interleaved];

    // (b) page 1 by changed key vs page 1 by tool.
    const byKey = () => service.list({ changedKey: 'rare' });
    const byTool = () => service.list({ tool: 'tool_3' });
    const page = await byKey();
    if (
      page.results.length !== 50 ||
      page.results.some((e) => !('rare' in (e.changes?.newValue ?? {})))
    ) {
      throw new Error('changedKey page 1 is not 50 entries touching rare');
    }
    const [keyPlan, toolPlan] = [
      await planOf(knex, (await statementsOf(knex, byKey))[0] as Statement),
      await planOf(knex, (await statementsOf(knex, byTool))[0] as Statement),
    ];
    const [toolM, keyM] = (await interleave([byTool, byKey], 400, 20)) as [
      Interleaved,
      Interleaved,
    ];

    // (c) logMany with changed-key rows vs the same bytes with nothing to index.
    let n = 0;
    const nextBatch = () => {
      n += BATCH;
      return batch(n);
    };
    const plain = () => unindexed.logMany(nextBatch());
    const indexed = () => service.logMany(nextBatch());
    for (let i = 0; i < 3; i++) {
      await plain();
      await indexed();
    }
    const [plainM, indexedM] = (await interleave([plain, indexed], 40, 2)) as [
      Interleaved,
      Interleaved,
    ];

    const rows = [
      `| ${name} | \`stateAt\` of an object with ${hotEntries.toLocaleString('en')} entries (${stateReads.length} query) | ${ms(perCall(stateM, 40))} ms | \`listForObject\` of the same entries: ${ms(perCall(listM, 40))} ms | **${ratio(1 / blockRatio(listM, stateM))}** the time (goal ≤ 1.5×) |`,
      `| ${name} | \`list({ changedKey })\` page 1, key on 1% of entries | ${ms(perCall(keyM, 400))} ms | page 1 by tool (2% of entries): ${ms(perCall(toolM, 400))} ms | **${ratio(1 / blockRatio(toolM, keyM))}** the time (goal ≤ 2×) |`,
      `| ${name} | \`logMany\` of ${BATCH} entries with changes (changed-keys rows written) | ${ms(perCall(indexedM, 40))} ms | same rows, nothing to index: ${ms(perCall(plainM, 40))} ms | **${ratio(blockRatio(plainM, indexedM))}** the throughput (goal ≥ 0.85×) |`,
    ];
    const notes = [
      `${name}: ${ROWS.toLocaleString('en')} rows and their changed-keys rows bulk-loaded in ${loadS.toFixed(1)} s.`,
      `${name} plan, changedKey page 1: ${keyPlan}`,
      `${name} plan, tool page 1: ${toolPlan}`,
    ];
    return { rows, notes };
  } finally {
    await knex.schema.dropTableIfExists(changedKeysOf(table));
    await knex.schema.dropTableIfExists(chainHeadsTableName(table));
    await knex.schema.dropTableIfExists(table);
  }
}

export async function run(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'eventlog-bench-history-'));
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(dir, 'bench.db') },
    useNullAsDefault: true,
  });
  // WAL with synchronous=NORMAL: the usual production setting for an application's SQLite file.
  await sqlite.raw('PRAGMA journal_mode = WAL');
  await sqlite.raw('PRAGMA synchronous = NORMAL');
  const server = await startPostgres();
  const pg = knexFactory({ client: 'pg', connection: server.url, pool: { min: 1, max: 2 } });
  const rows: string[] = [];
  const notes: string[] = [];
  try {
    for (const [name, knex] of [
      ['SQLite file', sqlite],
      ['PostgreSQL', pg],
    ] as const) {
      const m = await measure(name, knex);
      rows.push(...m.rows);
      notes.push(...m.notes);
    }
  } finally {
    await sqlite.destroy();
    await pg.destroy();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  return [
    '## History: stateAt, the changed-key filter and its write cost (knex)',
    '',
    `Command: \`npm run bench -- history\` (rows: env HISTORY_BENCH_ROWS, default 1,000,000). Each row of ${ROWS.toLocaleString('en')} changes one key: \`status\`, or \`rare\` for 1% of them; tools are uniform over 50; every ${HOT_EVERY}th row belongs to one object. The two sides of each line run interleaved in blocks, rotating which goes first; times are per call, the ratio is the median of per-block ratios. \`logMany\`'s baseline is the same call on a storage that moves each prepared entry's \`changes\` JSON to \`metadata\` before the adapter's insert: core's work and the row bytes are the same, only the changed-keys rows and the transaction they need differ.`,
    '',
    '| database | measured | time | baseline | ratio |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...notes.map((n) => `- ${n}`),
    '',
    `Machine load average at the end (1 / 5 / 15 min): ${load} on 2 cores shared with other work.`,
  ].join('\n');
}
