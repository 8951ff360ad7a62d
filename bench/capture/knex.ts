/**
 * `npm run bench -- capture`: knex `captureTable` against the same write plus a hand-written
 * `logMany` / `log()` of the same entries, and against the bare uncaptured write, on a SQLite
 * file and on PostgreSQL (a throwaway cluster), in one process.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  captureTable,
  chainHeadsTableName,
  createEventLogTable,
  knexStorage,
} from '@eventlog/adapter-knex';
import { EventLogService, type LogInput } from '@eventlog/core';
import { startPostgres } from '@eventlog/test-servers/postgres';
import knexFactory, { type Knex } from 'knex';
import { blockRatio, type Interleaved, interleave, medianOf, ms, ratio } from '../knex/measure';

const SCALE = process.env.BENCH_CAPTURE_QUICK === '1' ? 10 : 1;
const ROWS = 10_000 / SCALE;
const BULK_ROUNDS = 5;
const SINGLE_ROUNDS = 1000 / SCALE;
const BLOCK = 20;
/** Untimed single-row calls per side first, so the JIT has compiled every path. */
const WARMUP = 100 / SCALE;
const TOOL = 'inventory';

/** The hand-written entry of one row's qty change, as the capture builds it. */
const handInput = (id: number, from: number, to: number): LogInput => ({
  template: 'Item {record__id} was updated',
  values: { record__id: { id } },
  object: { type: 'Item', id },
  tool: TOOL,
  action: 'update',
  changes: { oldValue: { qty: from }, newValue: { qty: to } },
});

async function setUp(knex: Knex) {
  const suffix = Math.random().toString(36).slice(2, 8);
  const logTable = `bench_capture_log_${suffix}`;
  const items = `bench_capture_items_${suffix}`;
  await createEventLogTable(knex, { tableName: logTable });
  await knex.schema.createTable(items, (t) => {
    t.increments('id');
    t.string('name', 100).notNullable();
    t.string('status', 20).notNullable();
    t.integer('qty').notNullable();
  });
  for (let i = 0; i < ROWS; i += 500) {
    const chunk = Array.from({ length: Math.min(500, ROWS - i) }, (_, j) => ({
      name: `item ${i + j}`,
      status: 'open',
      qty: 0,
    }));
    await knex(items).insert(chunk);
  }
  const eventlog = new EventLogService(knexStorage(knex, { tableName: logTable }));
  const table = captureTable(eventlog, knex, items, { objectType: 'Item', tool: TOOL });
  return { items, logTable, eventlog, table };
}

/**
 * Runs `fns` in `n` rounds after one untimed round, rotating which goes first; per-function ms of
 * each round.
 */
async function rounds(fns: (() => Promise<unknown>)[], n: number): Promise<Interleaved[]> {
  for (const fn of fns) await fn();
  return interleave(fns, n, 1);
}

const perCall = (m: Interleaved, calls: number) => medianOf(m.blocks) / calls;

async function measure(name: string, knex: Knex): Promise<string[]> {
  const { items, logTable, eventlog, table } = await setUp(knex);
  // What a user writes who does not know the old values: read the rows under the write's lock
  // (SQLite serialises writers; knex has no row lock there), update, log what was read.
  const lockRead = (q: Knex.QueryBuilder) =>
    knex.client.dialect === 'postgresql' ? q.forUpdate() : q;
  // Every write changes each row, so every call logs: qty counts up, the same value for all rows.
  let qty = 0;
  const ids = (await knex(items).select('id').orderBy('id')).map((r) => Number(r.id));
  const bulk = await rounds(
    [
      () => table.update({}, { qty: ++qty }),
      () => {
        const to = ++qty;
        const inputs = ids.map((id) => handInput(id, to - 1, to));
        return knex.transaction(async (trx) => {
          await trx(items).update({ qty: to });
          await eventlog.logMany(inputs, { transaction: trx });
        });
      },
      () => knex.transaction((trx) => trx(items).update({ qty: ++qty })),
      () => {
        const to = ++qty;
        return knex.transaction(async (trx) => {
          const rows: { id: number; qty: number }[] = await lockRead(
            trx(items).select('id', 'qty'),
          );
          await trx(items).update({ qty: to });
          const inputs = rows.map((r) => handInput(Number(r.id), Number(r.qty), to));
          await eventlog.logMany(inputs, { transaction: trx });
        });
      },
    ],
    BULK_ROUNDS,
  );
  const one = ids[0] as number;
  let single = 0;
  await table.update({ id: one }, { qty: 0 });
  const singleFns = [
    () => table.update({ id: one }, { qty: ++single }),
    () => {
      const to = ++single;
      return knex.transaction(async (trx) => {
        await trx(items).where({ id: one }).update({ qty: to });
        await eventlog.log(handInput(one, to - 1, to), { transaction: trx });
      });
    },
    () => knex(items).where({ id: one }).update({ qty: ++single }),
    () => {
      const to = ++single;
      return knex.transaction(async (trx) => {
        const [row] = await lockRead(trx(items).select('id', 'qty').where({ id: one }));
        await trx(items).where({ id: one }).update({ qty: to });
        await eventlog.log(handInput(one, Number(row.qty), to), { transaction: trx });
      });
    },
  ];
  for (const fn of singleFns) for (let i = 0; i < WARMUP; i++) await fn();
  const singles = await interleave(singleFns, SINGLE_ROUNDS, BLOCK);
  await knex.schema.dropTableIfExists(items);
  await knex.schema.dropTableIfExists(logTable);
  await knex.schema.dropTableIfExists(chainHeadsTableName(logTable));
  const row = (write: string, [c, h, b, r]: Interleaved[], calls: number) => {
    const [cap, hand, bare, read] = [c, h, b, r].map((m) => ms(perCall(m as Interleaved, calls)));
    const byHand = blockRatio(h as Interleaved, c as Interleaved);
    return `| ${name} | ${write} | ${cap} ms | ${hand} ms | ${read} ms | ${bare} ms | **${ratio(byHand)}** ${byHand >= 0.9 ? 'met' : 'missed'} | ${ratio(blockRatio(r as Interleaved, c as Interleaved))} | ${ratio(blockRatio(b as Interleaved, c as Interleaved))} |`;
  };
  return [
    row(`bulk update of ${ROWS.toLocaleString('en')} rows`, bulk, 1),
    row('single-row update', singles, BLOCK),
  ];
}

export async function runKnex(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'eventlog-bench-capture-'));
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(dir, 'bench.db') },
    useNullAsDefault: true,
  });
  await sqlite.raw('PRAGMA journal_mode = WAL');
  await sqlite.raw('PRAGMA synchronous = NORMAL');
  const lines: string[] = [];
  let pgNote = '';
  const server = await startPostgres().catch((e: Error) => {
    pgNote = `PostgreSQL skipped: ${e.message.split('\n')[0]}`;
    return undefined;
  });
  try {
    console.log('capture bench: SQLite file');
    lines.push(...(await measure('SQLite file (WAL, synchronous=NORMAL)', sqlite)));
    if (server) {
      const pg = knexFactory({ client: 'pg', connection: server.url, pool: { min: 1, max: 2 } });
      try {
        console.log('capture bench: PostgreSQL');
        lines.push(...(await measure('PostgreSQL (fsync off)', pg)));
      } finally {
        await pg.destroy();
      }
    }
  } finally {
    await sqlite.destroy();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return [
    '## capture: knex `captureTable` vs the same write logged by hand',
    '',
    `Command: \`npm run bench -- capture\` · ${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${cpus().length} cores shared with other work. A table of ${ROWS.toLocaleString('en')} rows; every write changes \`qty\` of the rows it touches, so each call logs. Captured: \`captureTable(...).update(where, patch)\` (its own transaction, before-state read under the write's lock, one entry per row with its diff). By hand: the same UPDATE plus \`logMany\` (bulk) or \`log()\` (single row) of the same entries in one transaction, the entries built beforehand with the known old values (no read). By hand with read: what a user writes who does not know the old values: in one transaction, read the rows' id and qty (\`FOR UPDATE\` on PostgreSQL), the same UPDATE, then \`logMany\` / \`log()\` of entries built from what was read. Bare: the UPDATE alone. Bulk: one untimed round, then ${BULK_ROUNDS} rounds, rotating which side goes first, median per side, ratio = median of per-round ratios. Single row: ${WARMUP} untimed calls per side, then ${SINGLE_ROUNDS} calls per side interleaved in blocks of ${BLOCK}, time = median block per call, ratio = median of per-block ratios. Ratio = other side's time / captured time (1.00× = as fast).`,
    pgNote ? `\n${pgNote}\n` : '',
    '| database | write | captured | by hand | by hand with read | bare | vs by hand (goal ≥ 0.9×) | vs by hand with read | vs bare |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...lines,
    '',
    `Machine load average at the end (1 / 5 / 15 min): ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')}.`,
  ].join('\n');
}
