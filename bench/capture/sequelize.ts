/**
 * The Sequelize part of `npm run bench -- capture`: a captured model's `Model.update` (bulk) and
 * `instance.update` (one row) against the same writes on an uncaptured model of the same table
 * logged by hand, and against the bare writes.
 */

import { captureModel, createEventLogTable, sequelizeStorage } from '@eventlog/adapter-sequelize';
import { EventLogService, type LogInput } from '@eventlog/core';
import {
  DataTypes,
  type Model,
  type ModelStatic,
  type Sequelize,
  type Transaction,
} from 'sequelize';
import { type CaptureRow, compare } from './compare';
import { BULK, ROWS, SEQUELIZE_SINGLE } from './sizes';

const attributes = {
  name: DataTypes.STRING,
  status: DataTypes.STRING,
  qty: DataTypes.INTEGER,
  price: DataTypes.DECIMAL(10, 2),
  note: DataTypes.TEXT,
};

/** The hand-written entry of one row's change of `key`, as the capture builds it. */
const handInput = (id: number, key: string, from: unknown, to: unknown): LogInput => ({
  template: 'Item {record__id} was updated',
  values: { record__id: { id } },
  object: { type: 'Item', id },
  tool: 'bench',
  action: 'update',
  changes: { oldValue: { [key]: from }, newValue: { [key]: to } },
});

/** The bulk and single-row comparisons of `captureModel` on `sequelize`. */
export async function measureSequelize(
  database: string,
  sequelize: Sequelize,
): Promise<CaptureRow[]> {
  const suffix = Math.random().toString(36).slice(2, 8);
  const tableName = `bench_log_${suffix}`;
  const itemsTable = `bench_items_${suffix}`;
  await createEventLogTable(sequelize, { tableName });
  const eventlog = new EventLogService<Transaction>(
    sequelizeStorage(sequelize, { tableName, modelName: tableName }),
  );
  const Item = sequelize.define(`Captured${suffix}`, attributes, { tableName: itemsTable });
  // The same table without capture: the by-hand and bare sides.
  const Plain = sequelize.define(`Plain${suffix}`, attributes, { tableName: itemsTable });
  await Item.sync();
  await Plain.bulkCreate(
    Array.from({ length: ROWS }, (_, i) => ({
      name: `Item ${i}`,
      status: 's0',
      qty: i,
      price: '1.00',
      note: 'a note',
    })),
  );
  const capture = captureModel(eventlog, Item as ModelStatic<Model>, {
    objectType: 'Item',
    tool: 'bench',
  });
  const ids = (await Plain.findAll({ attributes: ['id'], raw: true })).map(
    (r) => (r as unknown as { id: number }).id,
  );
  const tx = (fn: (t: Transaction) => Promise<unknown>) => sequelize.transaction(fn);
  const lock = (t: Transaction) =>
    sequelize.getDialect() === 'postgres' ? t.LOCK.UPDATE : undefined;
  const orm = 'Sequelize `captureModel`';
  let status = 0;
  const bulk = await compare(
    { orm, database, write: `\`Model.update\` of ${ROWS.toLocaleString('en')} rows` },
    {
      captured: () => {
        const to = `s${++status}`;
        return tx((t) => Item.update({ status: to }, { where: {}, transaction: t }));
      },
      byHand: () => {
        const from = `s${status}`;
        const to = `s${++status}`;
        const inputs = ids.map((id) => handInput(id, 'status', from, to));
        return tx(async (t) => {
          await Plain.update({ status: to }, { where: {}, transaction: t });
          await eventlog.logMany(inputs, { transaction: t, batchId: true });
        });
      },
      byHandWithRead: () => {
        const to = `s${++status}`;
        return tx(async (t) => {
          const rows = (await Plain.findAll({
            attributes: ['id', 'status'],
            transaction: t,
            lock: lock(t),
            raw: true,
          })) as unknown as { id: number; status: string }[];
          await Plain.update({ status: to }, { where: {}, transaction: t });
          const inputs = rows.map((r) => handInput(r.id, 'status', r.status, to));
          await eventlog.logMany(inputs, { transaction: t, batchId: true });
        });
      },
      bare: () => {
        const to = `s${++status}`;
        return tx((t) => Plain.update({ status: to }, { where: {}, transaction: t }));
      },
    },
    BULK,
  );
  const captured = (await Item.findByPk(ids[0])) as Model;
  const plain = (await Plain.findByPk(ids[1])) as Model;
  const plainId = ids[1] as number;
  let qty = 0;
  const single = await compare(
    { orm, database, write: '`instance.update` of one row' },
    {
      captured: () => tx((t) => captured.update({ qty: ++qty }, { transaction: t })),
      byHand: () =>
        tx(async (t) => {
          const from = plain.get('qty');
          await plain.update({ qty: ++qty }, { transaction: t });
          await eventlog.log(handInput(plainId, 'qty', from, qty), { transaction: t });
        }),
      byHandWithRead: () =>
        tx(async (t) => {
          const row = (await Plain.findByPk(plainId, { transaction: t, lock: lock(t) })) as Model;
          const from = row.get('qty');
          await row.update({ qty: ++qty }, { transaction: t });
          await eventlog.log(handInput(plainId, 'qty', from, qty), { transaction: t });
        }),
      bare: () => tx((t) => plain.update({ qty: ++qty }, { transaction: t })),
    },
    SEQUELIZE_SINGLE,
  );
  capture.stop();
  await sequelize.getQueryInterface().dropTable(itemsTable);
  await sequelize.getQueryInterface().dropTable(tableName);
  return [bulk, single];
}
