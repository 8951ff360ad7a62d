import {
  type CaptureHarness,
  type CaptureSetup,
  type ItemRow,
  type ItemWhere,
  runCaptureConformance,
} from '@eventlog/conformance';
import { EventLogService } from '@eventlog/core';
import { DataTypes, type Model, type ModelStatic, Op, Transaction } from 'sequelize';
import { captureModel, createEventLogTable, sequelizeStorage } from '../src/index';
import { type Backend, postgres, randomTable, sqliteBackend } from './support';

const FIELDS = ['id', 'name', 'status', 'qty', 'password', 'note'] as const;

/** An `ItemRow` of what the database holds (timestamps left out). */
const itemRow = (r: Record<string, unknown>) =>
  Object.fromEntries(FIELDS.map((f) => [f, r[f]])) as unknown as ItemRow;

/**
 * The capture harness on a fresh model with timestamps (so bookkeeping attributes are in play).
 * Writes go through Sequelize's own methods: one row through the instance paths (`create`,
 * `findByPk` + `instance.update`, `instance.destroy`: the per-instance hooks), several through
 * the bulk ones (`bulkCreate`, `Model.update`, `Model.destroy`: the bulk hooks).
 */
async function harness(
  backend: Backend,
  setup: CaptureSetup,
): Promise<CaptureHarness<Transaction>> {
  const db = await backend.open();
  const { sequelize } = db;
  const table = randomTable();
  await createEventLogTable(sequelize, { tableName: table });
  const storage = sequelizeStorage(sequelize, { tableName: table });
  const eventlog = new EventLogService<Transaction>(
    storage,
    setup.integrity ? { integrity: {} } : {},
  );
  const Item = sequelize.define(
    `Item_${table}`,
    {
      name: { type: DataTypes.STRING, allowNull: false },
      status: { type: DataTypes.STRING, allowNull: false },
      qty: { type: DataTypes.INTEGER, allowNull: false },
      password: DataTypes.STRING,
      note: DataTypes.TEXT,
    },
    { tableName: `items_${table}` },
  ) as ModelStatic<Model>;
  await Item.sync();
  const capture = captureModel(eventlog, Item, setup.options);
  const rows = async (where: ItemWhere = {}, transaction?: Transaction) =>
    (
      (await Item.findAll({
        where,
        order: [['id', 'ASC']],
        raw: true,
        transaction,
      })) as unknown as Record<string, unknown>[]
    ).map(itemRow);
  const byId = (where: ItemWhere) => Object.keys(where).length === 1 && where.id !== undefined;
  return {
    eventlog,
    outsideTransaction: 'refuses',
    async insert(items, { transaction } = {}) {
      if (items.length === 1) {
        const created = await Item.create({ ...items[0] }, { transaction });
        return rows({ id: created.get('id') as number }, transaction);
      }
      const created = await Item.bulkCreate(
        items.map((i) => ({ ...i })),
        { transaction },
      );
      return rows({ id: { [Op.in]: created.map((c) => c.get('id')) } } as never, transaction);
    },
    async update(where, patch, { transaction } = {}) {
      if (byId(where)) {
        const found = await Item.findByPk(where.id, { transaction });
        await found?.update(patch, { transaction });
        return rows(where, transaction);
      }
      const ids = (await rows(where, transaction)).map((r) => r.id);
      await Item.update(patch, { where, transaction });
      return rows({ id: { [Op.in]: ids } } as never, transaction);
    },
    async delete(where, { transaction } = {}) {
      const before = await rows(where, transaction);
      if (byId(where)) {
        const found = await Item.findByPk(where.id, { transaction });
        await found?.destroy({ transaction });
      } else {
        await Item.destroy({ where, transaction });
      }
      return before;
    },
    revert: (entryId, options) => capture.revert(entryId, options),
    transaction: (fn) => sequelize.transaction((t) => fn(t)),
    rows: (where) => rows(where),
    async close() {
      capture.stop();
      await db.close();
    },
  };
}

/**
 * SQLite has one writer at a time: concurrent captured transactions start IMMEDIATE (taking the
 * write lock first, so two never deadlock between their read and their write) and retry while
 * another holds it, as the README tells apps with concurrent writers to do.
 */
const sqliteWriters = sqliteBackend({
  transactionType: Transaction.TYPES.IMMEDIATE,
  retry: { match: [/SQLITE_BUSY/], max: 50 },
});

for (const backend of [sqliteWriters, postgres]) {
  runCaptureConformance<Transaction>({
    name: `sequelize (${backend.name})`,
    unavailable: backend.unavailable,
    create: (setup) => harness(backend, setup),
  });
}
