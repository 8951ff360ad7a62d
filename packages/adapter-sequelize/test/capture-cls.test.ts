import { describeSuite } from '@eventlog/conformance';
import { CaptureError, EventLogService } from '@eventlog/core';
import { DataTypes, type Model, type ModelStatic, Sequelize, type Transaction } from 'sequelize';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureModel, createEventLogTable, sequelizeStorage } from '../src/index';
import { asyncLocalNamespace } from './cls-namespace';
import { backends, type OpenBackend, randomTable } from './support';

// useCLS is process-wide, hence a file of its own (vitest forks per file).
Sequelize.useCLS(asyncLocalNamespace());

for (const backend of backends) {
  describeSuite(
    `sequelize capture in CLS-managed transactions on ${backend.name}`,
    { name: backend.name, unavailable: backend.unavailable },
    () => {
      let db: OpenBackend;
      let eventlog: EventLogService<Transaction>;
      let Item: ModelStatic<Model>;
      const tool = 'cls-capture';

      beforeAll(async () => {
        db = await backend.open();
        const table = randomTable();
        await createEventLogTable(db.sequelize, { tableName: table });
        eventlog = new EventLogService(sequelizeStorage(db.sequelize, { tableName: table }));
        Item = db.sequelize.define(
          'Item',
          { name: DataTypes.STRING, qty: DataTypes.INTEGER },
          {
            tableName: `items_${table}`,
          },
        ) as ModelStatic<Model>;
        await Item.sync();
        captureModel(eventlog, Item, { objectType: 'Item', tool });
      });
      afterAll(() => db.close());

      it('writes without { transaction } join the CLS transaction, entries included', async () => {
        await db.sequelize.transaction(async () => {
          const item = await Item.create({ name: 'a', qty: 1 });
          await Item.update({ qty: 2 }, { where: { id: item.get('id') } });
        });
        const boom = new Error('rolled back');
        await expect(
          db.sequelize.transaction(async () => {
            await Item.create({ name: 'b', qty: 1 });
            throw boom;
          }),
        ).rejects.toBe(boom);
        const { results } = await eventlog.list({ tool, order: 'asc' });
        expect(results.map((e) => e.action)).toEqual(['create', 'update']);
        expect(await Item.count()).toBe(1);
      });

      it('outside any transaction a captured write is still refused', async () => {
        await expect(Item.create({ name: 'c', qty: 1 })).rejects.toBeInstanceOf(CaptureError);
        expect(await Item.count()).toBe(1);
      });
    },
  );
}
