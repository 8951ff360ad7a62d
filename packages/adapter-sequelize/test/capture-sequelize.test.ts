import { describeSuite } from '@eventlog/conformance';
import { CaptureError, type EventLog, EventLogService } from '@eventlog/core';
import {
  DataTypes,
  type Model,
  type ModelStatic,
  type Sequelize,
  type Transaction,
} from 'sequelize';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import {
  captureModel,
  createEventLogTable,
  type SequelizeCapture,
  sequelizeStorage,
} from '../src/index';
import { backends, type OpenBackend, randomTable } from './support';

/**
 * The Sequelize write paths the shared capture suite does not drive (it writes through
 * `create`, `instance.update`, `instance.destroy`, `bulkCreate`, `Model.update` and
 * `Model.destroy`): upsert, per-instance hooks under bulk writes, bookkeeping attributes,
 * `stop()`, and the refusals.
 */
for (const backend of backends) {
  describeSuite(
    `sequelize capture write paths on ${backend.name}`,
    { name: backend.name, unavailable: backend.unavailable },
    () => {
      let db: OpenBackend;
      let sequelize: Sequelize;
      let eventlog: EventLogService<Transaction>;
      let Item: ModelStatic<Model>;
      let capture: SequelizeCapture;
      let tool: string;

      beforeAll(async () => {
        db = await backend.open();
        sequelize = db.sequelize;
        const table = randomTable();
        await createEventLogTable(sequelize, { tableName: table });
        eventlog = new EventLogService(sequelizeStorage(sequelize, { tableName: table }));
        Item = sequelize.define(
          'Item',
          {
            sku: { type: DataTypes.STRING, unique: true },
            name: DataTypes.STRING,
            qty: DataTypes.INTEGER,
            seen: DataTypes.DATE,
            meta: DataTypes.JSON,
          },
          { tableName: `items_${table}` },
        ) as ModelStatic<Model>;
        await Item.sync();
      });
      afterAll(() => db.close());
      beforeEach(async () => {
        capture?.stop();
        tool = `tool_${Math.random().toString(36).slice(2, 10)}`;
        capture = captureModel(eventlog, Item, { objectType: 'Item', tool });
      });

      const entries = async (): Promise<EventLog[]> =>
        (await eventlog.list({ tool, order: 'asc', limit: 1000 })).results;
      const tx = <T>(fn: (t: Transaction) => Promise<T>) => sequelize.transaction(fn);

      it('upsert logs a create, then an update with the diff, by primary key or unique key', async () => {
        const sku = `sku-${tool}`;
        await tx((t) => Item.upsert({ sku, name: 'A', qty: 1 }, { transaction: t }));
        await tx((t) => Item.upsert({ sku, name: 'A', qty: 2 }, { transaction: t }));
        const row = (await Item.findOne({ where: { sku } })) as Model;
        await tx((t) =>
          Item.upsert({ id: row.get('id'), sku, name: 'B', qty: 2 }, { transaction: t }),
        );
        const log = await entries();
        expect(log.map((e) => e.action)).toEqual(['create', 'update', 'update']);
        expect(log.every((e) => e.objectId === String(row.get('id')))).toBe(true);
        expect(log[1]?.changes).toEqual({ oldValue: { qty: 1 }, newValue: { qty: 2 } });
        expect(log[2]?.changes).toEqual({ oldValue: { name: 'A' }, newValue: { name: 'B' } });
      });

      it('an upsert without a key capture can find the row by is refused before writing', async () => {
        const before = await Item.count();
        const error = await tx((t) => Item.upsert({ name: 'no key' }, { transaction: t })).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(CaptureError);
        expect((error as CaptureError).reason).toBe('no-id');
        expect(await Item.count()).toBe(before);
      });

      it('bulk writes with individualHooks log each row once, in one batch', async () => {
        const rows = await tx((t) =>
          Item.bulkCreate(
            [
              { name: 'i1', qty: 1 },
              { name: 'i2', qty: 2 },
            ],
            { transaction: t, individualHooks: true },
          ),
        );
        const ids = rows.map((r) => r.get('id'));
        await tx((t) =>
          Item.update({ qty: 7 }, { where: { id: ids }, transaction: t, individualHooks: true }),
        );
        await tx((t) =>
          Item.destroy({ where: { id: ids }, transaction: t, individualHooks: true }),
        );
        const log = await entries();
        expect(log.map((e) => e.action)).toEqual([
          'create',
          'create',
          'update',
          'update',
          'delete',
          'delete',
        ]);
        expect(log[2]?.changes).toEqual({ oldValue: { qty: 1 }, newValue: { qty: 7 } });
      });

      it('bulkCreate with updateOnDuplicate on the key logs creates and updates; without ids or on another key it is refused', async () => {
        const [kept] = await tx((t) =>
          Item.bulkCreate([{ name: 'dup', qty: 1 }], { transaction: t }),
        );
        const id = kept?.get('id') as number;
        await tx((t) =>
          Item.bulkCreate(
            [
              { id, name: 'dup', qty: 5 },
              { id: id + 1000, name: 'fresh', qty: 1 },
            ],
            { transaction: t, updateOnDuplicate: ['qty'], conflictAttributes: ['id'] },
          ),
        );
        const log = await entries();
        expect(log.map((e) => [e.action, e.objectId])).toEqual([
          ['create', String(id)],
          ['update', String(id)],
          ['create', String(id + 1000)],
        ]);
        expect(log[1]?.changes).toEqual({ oldValue: { qty: 1 }, newValue: { qty: 5 } });
        await expect(
          tx((t) =>
            Item.bulkCreate([{ name: 'no id', qty: 1 }], {
              transaction: t,
              ignoreDuplicates: true,
            }),
          ),
        ).rejects.toBeInstanceOf(CaptureError);
        // Without conflictAttributes Sequelize conflicts on the unique sku: rows capture never read.
        await expect(
          tx((t) =>
            Item.bulkCreate([{ id, name: 'dup', qty: 9 }], {
              transaction: t,
              updateOnDuplicate: ['qty'],
            }),
          ),
        ).rejects.toBeInstanceOf(CaptureError);
      });

      it('dates and JSON are logged as Sequelize reads them, and timestamps are not tracked', async () => {
        const seen = new Date('2024-05-06T07:08:09.123Z');
        const item = await tx((t) =>
          Item.create({ name: 'd', qty: 1, seen, meta: { a: [1, 2] } }, { transaction: t }),
        );
        await tx((t) => item.update({ meta: { a: [1, 3] } }, { transaction: t }));
        // Only updatedAt changes: nothing to log.
        await tx((t) => Item.update({ qty: 1 }, { where: { id: item.get('id') }, transaction: t }));
        const log = await entries();
        expect(log.map((e) => e.action)).toEqual(['create', 'update']);
        expect(log[0]?.changes?.newValue).toMatchObject({
          seen: seen.toISOString(),
          meta: { a: [1, 2] },
        });
        expect(log[0]?.changes?.newValue).not.toHaveProperty('createdAt');
        expect(log[1]?.changes).toEqual({
          oldValue: { meta: { a: [1, 2] } },
          newValue: { meta: { a: [1, 3] } },
        });
      });

      it('truncate of a captured model is refused', async () => {
        await expect(Item.truncate()).rejects.toBeInstanceOf(CaptureError);
      });

      it('after stop() writes are neither captured nor refused', async () => {
        capture.stop();
        await Item.create({ name: 'free', qty: 1 });
        expect(await entries()).toEqual([]);
      });
    },
  );
}
