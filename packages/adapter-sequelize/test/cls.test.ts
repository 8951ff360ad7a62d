import { describeSuite } from '@eventlog/conformance';
import { EventLogService } from '@eventlog/core';
import { DataTypes, type Model, type ModelStatic, Sequelize, type Transaction } from 'sequelize';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEventLogTable, type SequelizeEventLogStorage, sequelizeStorage } from '../src/index';
import { asyncLocalNamespace } from './cls-namespace';
import { backends, entry, type OpenBackend, randomTable } from './support';

Sequelize.useCLS(asyncLocalNamespace());

for (const backend of backends) {
  describeSuite(
    `sequelize CLS-managed transactions on ${backend.name}`,
    { name: backend.name, unavailable: backend.unavailable },
    () => {
      let db: OpenBackend;
      let sequelize: Sequelize;
      let storage: SequelizeEventLogStorage;
      let eventlog: EventLogService<Transaction>;
      let Item: ModelStatic<Model>;

      beforeAll(async () => {
        db = await backend.open();
        sequelize = db.sequelize;
        const table = randomTable();
        Item = sequelize.define(
          'Item',
          {
            id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
            name: DataTypes.STRING,
          },
          { tableName: `items_${table}`, timestamps: false },
        );
        await Item.sync();
        await createEventLogTable(sequelize, { tableName: table });
        storage = sequelizeStorage(sequelize, { tableName: table });
        eventlog = new EventLogService(storage);
      });
      afterAll(() => db?.close());

      const count = async (tool: string) =>
        (await eventlog.list({ tool, withCount: true, limit: 1 })).count;

      it('log() without a transaction option joins the CLS transaction: commit keeps both', async () => {
        await sequelize.transaction(async () => {
          const item = await Item.create({ name: 'cls-kept' });
          await eventlog.log({
            template: 'created',
            object: item,
            tool: 'cls-commit',
            action: 'create',
          });
        });
        expect(await Item.count({ where: { name: 'cls-kept' } })).toBe(1);
        expect(await count('cls-commit')).toBe(1);
      });

      it('list() inside a CLS transaction reads through it: it sees the entry not yet committed', async () => {
        await sequelize.transaction(async () => {
          await eventlog.log({ template: 'pending', tool: 'cls-read', action: 'create' });
          const page = await eventlog.list({ tool: 'cls-read' });
          expect(page.results.map((e) => e.message)).toEqual(['pending']);
        });
      });

      it('a throw after log() rolls back the CLS transaction with the entry in it', async () => {
        const boom = new Error('business failure');
        await expect(
          sequelize.transaction(async () => {
            const item = await Item.create({ name: 'cls-gone' });
            await eventlog.log({
              template: 'created',
              object: item,
              tool: 'cls-rollback',
              action: 'create',
            });
            // Seen inside the transaction, so the write really went through it.
            expect(await count('cls-rollback')).toBe(1);
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await Item.count({ where: { name: 'cls-gone' } })).toBe(0);
        expect(await count('cls-rollback')).toBe(0);
      });

      it('a multi-statement insert nests in the CLS transaction and rolls back with it', async () => {
        const boom = new Error('after the bulk insert');
        await expect(
          sequelize.transaction(async () => {
            await Item.create({ name: 'cls-bulk' });
            const stored = await storage.insert(
              Array.from({ length: 2100 }, () => entry({ tool: 'cls-bulk' })),
            );
            expect(stored).toHaveLength(2100);
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await Item.count({ where: { name: 'cls-bulk' } })).toBe(0);
        expect(await count('cls-bulk')).toBe(0);
      });
    },
  );
}
