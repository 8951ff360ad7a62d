import { describeSuite } from '@eventlog/conformance';
import { EventLogAction, EventLogService } from '@eventlog/core';
import { eventLogQuerySchema } from '@eventlog/core/storage';
import {
  DataTypes,
  type Model,
  type ModelStatic,
  type Sequelize,
  type Transaction,
} from 'sequelize';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createEventLogTable, type SequelizeEventLogStorage, sequelizeStorage } from '../src/index';
import { backends, type OpenBackend, randomTable, readRaw } from './support';

/** The app's own models: what a Sequelize user logs about. */
function defineAppModels(sequelize: Sequelize, suffix: string) {
  const Item = sequelize.define(
    'Item',
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      name: DataTypes.STRING,
    },
    { tableName: `items_${suffix}`, timestamps: false },
  );
  const User = sequelize.define(
    'User',
    { uid: { type: DataTypes.STRING, primaryKey: true }, full_name: DataTypes.STRING },
    { tableName: `users_${suffix}`, timestamps: false },
  );
  return { Item, User };
}

for (const backend of backends) {
  describeSuite(
    `sequelize business transactions on ${backend.name}`,
    { name: backend.name, unavailable: backend.unavailable },
    () => {
      let db: OpenBackend;
      let sequelize: Sequelize;
      let table: string;
      let storage: SequelizeEventLogStorage;
      let eventlog: EventLogService<Transaction>;
      let Item: ModelStatic<Model>;
      let User: ModelStatic<Model>;
      let user: Model;

      beforeAll(async () => {
        db = await backend.open();
        sequelize = db.sequelize;
        table = randomTable();
        ({ Item, User } = defineAppModels(sequelize, table));
        await Item.sync();
        await User.sync();
        await createEventLogTable(sequelize, { tableName: table });
        storage = sequelizeStorage(sequelize, { tableName: table });
        eventlog = new EventLogService(storage);
      });
      afterAll(() => db?.close());
      beforeEach(async () => {
        user = await User.create({
          uid: `u-${Math.random().toString(36).slice(2)}`,
          full_name: 'John Doe',
        });
      });
      afterEach(async () => {
        await storage.model.destroy({ where: {} });
        await Item.destroy({ where: {} });
      });

      const logCreate = (item: Model, tool: string, transaction?: Transaction) =>
        eventlog.log(
          {
            template: 'Item {item__name} was created by {user__full_name}.',
            values: { item__name: item, user__full_name: user },
            object: item,
            actor: user,
            tool,
            action: EventLogAction.CREATE,
          },
          transaction ? { transaction } : undefined,
        );

      it('resolves Sequelize instances as object, actor and template values', async () => {
        const item = await Item.create({ name: 'Certificate A' });
        const entry = await logCreate(item, 'items');
        expect(entry).toMatchObject({
          objectType: 'Item',
          objectId: String(item.get('id')),
          actorId: String(user.get('uid')),
          actorLabel: 'John Doe',
          message: 'Item Certificate A was created by John Doe.',
          values: { item__name: 'Certificate A', user__full_name: 'John Doe' },
        });
        expect(await readRaw(sequelize, table, entry.id)).toEqual(entry);
        const history = await eventlog.listForObject(item);
        expect(history.results.map((e) => e.id)).toEqual([entry.id]);
      });

      it('managed transaction: commit keeps the item and its entry', async () => {
        const entry = await sequelize.transaction(async (t) => {
          const item = await Item.create({ name: 'kept' }, { transaction: t });
          return logCreate(item, 'managed', t);
        });
        expect(await Item.count({ where: { name: 'kept' } })).toBe(1);
        expect(await readRaw(sequelize, table, entry.id)).toEqual(entry);
      });

      it('managed transaction: a throw after log() drops both', async () => {
        let id = '';
        const boom = new Error('business failure');
        await expect(
          sequelize.transaction(async (t) => {
            const item = await Item.create({ name: 'dropped' }, { transaction: t });
            id = (await logCreate(item, 'managed', t)).id;
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(id).not.toBe('');
        expect(await Item.count({ where: { name: 'dropped' } })).toBe(0);
        expect(await readRaw(sequelize, table, id)).toBeNull();
      });

      it('unmanaged transaction: commit keeps both, rollback drops both', async () => {
        const t1 = await sequelize.transaction();
        const kept = await Item.create({ name: 'unmanaged-kept' }, { transaction: t1 });
        const [e1] = await eventlog.logMany(
          [1, 2].map((n) => ({
            template: `step ${n} of {item__name}`,
            values: { item__name: kept },
            object: kept,
            tool: 'unmanaged',
            action: 'step',
          })),
          { transaction: t1 },
        );
        await t1.commit();
        expect(await Item.count({ where: { name: 'unmanaged-kept' } })).toBe(1);
        expect(e1 && (await readRaw(sequelize, table, e1.id))).toEqual(e1);
        expect((await eventlog.list({ tool: 'unmanaged', withCount: true })).count).toBe(2);

        const t2 = await sequelize.transaction();
        const gone = await Item.create({ name: 'unmanaged-gone' }, { transaction: t2 });
        const e2 = await logCreate(gone, 'unmanaged-rollback', t2);
        await t2.rollback();
        expect(await Item.count({ where: { name: 'unmanaged-gone' } })).toBe(0);
        expect(await readRaw(sequelize, table, e2.id)).toBeNull();
        expect(
          await storage.find(eventLogQuerySchema.parse({ tool: 'unmanaged-rollback' })),
        ).toEqual({
          results: [],
          nextCursor: null,
        });
      });

      it('a log() that fails inside the transaction rolls the business change back too', async () => {
        const error = await sequelize
          .transaction(async (t) => {
            await Item.create({ name: 'never' }, { transaction: t });
            await eventlog.log(
              { template: '{missing__x}', tool: 'fail', action: 'x' },
              { transaction: t },
            );
          })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(Error);
        expect(await Item.count({ where: { name: 'never' } })).toBe(0);
      });
    },
  );
}
