/**
 * The knex part of `npm run bench -- capture`: `captureTable(...).update` against the same
 * UPDATE logged by hand and against the bare UPDATE, on a SQLite file and on PostgreSQL.
 */

import {
  captureTable,
  chainHeadsTableName,
  createEventLogTable,
  knexStorage,
} from '@eventlog/adapter-knex';
import { EventLogService, type LogInput } from '@eventlog/core';
import type { Knex } from 'knex';
import { type CaptureRow, compare } from './compare';
import { BULK, ROWS, SINGLE } from './sizes';

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

/** The bulk and single-row comparisons of `captureTable` on `knex`. */
export async function measureKnex(database: string, knex: Knex): Promise<CaptureRow[]> {
  const { items, logTable, eventlog, table } = await setUp(knex);
  // Read the rows under the write's lock (SQLite serialises writers; knex has no row lock there).
  const lockRead = (q: Knex.QueryBuilder) =>
    knex.client.dialect === 'postgresql' ? q.forUpdate() : q;
  // Every write changes each row, so every call logs: qty counts up, the same value for all rows.
  let qty = 0;
  const ids = (await knex(items).select('id').orderBy('id')).map((r) => Number(r.id));
  const orm = 'knex `captureTable`';
  const bulk = await compare(
    { orm, database, write: `bulk update of ${ROWS.toLocaleString('en')} rows` },
    {
      captured: () => table.update({}, { qty: ++qty }),
      byHand: () => {
        const to = ++qty;
        const inputs = ids.map((id) => handInput(id, to - 1, to));
        return knex.transaction(async (trx) => {
          await trx(items).update({ qty: to });
          await eventlog.logMany(inputs, { transaction: trx, batchId: true });
        });
      },
      byHandWithRead: () => {
        const to = ++qty;
        return knex.transaction(async (trx) => {
          const rows: { id: number; qty: number }[] = await lockRead(
            trx(items).select('id', 'qty'),
          );
          await trx(items).update({ qty: to });
          const inputs = rows.map((r) => handInput(Number(r.id), Number(r.qty), to));
          await eventlog.logMany(inputs, { transaction: trx, batchId: true });
        });
      },
      bare: () => knex.transaction((trx) => trx(items).update({ qty: ++qty })),
    },
    BULK,
  );
  const one = ids[0] as number;
  let single = 0;
  await table.update({ id: one }, { qty: 0 });
  const singles = await compare(
    { orm, database, write: 'single-row update' },
    {
      captured: () => table.update({ id: one }, { qty: ++single }),
      byHand: () => {
        const to = ++single;
        return knex.transaction(async (trx) => {
          await trx(items).where({ id: one }).update({ qty: to });
          await eventlog.log(handInput(one, to - 1, to), { transaction: trx });
        });
      },
      byHandWithRead: () => {
        const to = ++single;
        return knex.transaction(async (trx) => {
          const [row] = await lockRead(trx(items).select('id', 'qty').where({ id: one }));
          await trx(items).where({ id: one }).update({ qty: to });
          await eventlog.log(handInput(one, Number(row.qty), to), { transaction: trx });
        });
      },
      bare: () =>
        knex.transaction((trx) => trx(items).where({ id: one }).update({ qty: ++single })),
    },
    SINGLE,
  );
  await knex.schema.dropTableIfExists(items);
  await knex.schema.dropTableIfExists(logTable);
  await knex.schema.dropTableIfExists(chainHeadsTableName(logTable));
  return [bulk, singles];
}
