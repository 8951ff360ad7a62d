import { describeSuite, isUniqueViolation } from '@eventlog/conformance';
import { EventLogService } from '@eventlog/core';
import { SequelizeStorage, Umzug } from 'umzug';
import { expect, it } from 'vitest';
import {
  chainHeadsTableName,
  createEventLogTable,
  eventLogHistoryMigration,
  eventLogIntegrityMigration,
  eventLogMigration,
  eventLogSearchMigration,
  sequelizeStorage,
} from '../src/index';
import { searchLayout, tableLayout } from './layout';
import { backends, entry, randomTable } from './support';

for (const backend of backends) {
  describeSuite(
    `migration on ${backend.name}`,
    { name: backend.name, unavailable: backend.unavailable },
    () => {
      it('runs up and down through umzug, creating the table and its indexes', async () => {
        const db = await backend.open();
        const { sequelize } = db;
        const table = randomTable();
        const umzug = new Umzug({
          migrations: [
            { name: '20240101000000-eventlog', ...eventLogMigration({ tableName: table }) },
          ],
          context: sequelize.getQueryInterface(),
          storage: new SequelizeStorage({ sequelize, tableName: `migrations_${table}` }),
          logger: undefined,
        });
        try {
          await umzug.up();
          const layout = await tableLayout(sequelize, table);
          expect(layout.indexes.map((i) => i.name)).toEqual(
            expect.arrayContaining([
              '<table>_actor_idx',
              '<table>_chain_seq_key',
              '<table>_event_id_key',
              '<table>_object_idx',
              '<table>_timestamp_idx',
              '<table>_tool_idx',
            ]),
          );
          const storage = sequelizeStorage(sequelize, { tableName: table });
          const [stored] = await storage.insert([entry({ eventId: 'once' })]);
          expect(await storage.get(stored?.id ?? '')).toEqual(stored);
          await expect(storage.insert([entry({ eventId: 'once' })])).rejects.toSatisfy(
            isUniqueViolation,
          );
          expect((await umzug.executed()).map((m) => m.name)).toEqual(['20240101000000-eventlog']);
          expect(await sequelize.getQueryInterface().tableExists(chainHeadsTableName(table))).toBe(
            true,
          );
          await umzug.down();
          expect(await sequelize.getQueryInterface().tableExists(table)).toBe(false);
          expect(await sequelize.getQueryInterface().tableExists(chainHeadsTableName(table))).toBe(
            false,
          );
          expect(await umzug.executed()).toEqual([]);
        } finally {
          await db.close();
        }
      });

      it('runs in sequelize-cli style, up(queryInterface, Sequelize), failing when the table exists', async () => {
        const db = await backend.open();
        const queryInterface = db.sequelize.getQueryInterface();
        const table = randomTable();
        const migration = eventLogMigration({ tableName: table });
        try {
          await migration.up(queryInterface, db.sequelize.constructor);
          expect(await queryInterface.tableExists(table)).toBe(true);
          await expect(migration.up(queryInterface, db.sequelize.constructor)).rejects.toThrow(
            /already exists/,
          );
          await migration.down(queryInterface, db.sequelize.constructor);
          expect(await queryInterface.tableExists(table)).toBe(false);
        } finally {
          await db.close();
        }
      });

      it('creates the table idempotently, keeping existing rows', async () => {
        const db = await backend.open();
        const table = randomTable();
        try {
          await createEventLogTable(db.sequelize, { tableName: table });
          const storage = sequelizeStorage(db.sequelize, { tableName: table });
          await storage.insert([entry()]);
          await createEventLogTable(db.sequelize.getQueryInterface(), { tableName: table });
          expect(await storage.model.count()).toBe(1);
        } finally {
          await db.close();
        }
      });

      it('the search migration indexes the entries stored before it, like createEventLogTable; down removes it', async () => {
        const db = await backend.open();
        const queryInterface = db.sequelize.getQueryInterface();
        const [table, reference] = [randomTable(), randomTable()];
        const search = eventLogSearchMigration({ tableName: table });
        try {
          await createEventLogTable(db.sequelize, { tableName: reference });
          await eventLogMigration({ tableName: table }).up(queryInterface);
          await search.down({ context: queryInterface });
          expect(await searchLayout(db.sequelize, table)).toEqual([]);
          const storage = sequelizeStorage(db.sequelize, { tableName: table, modelName: table });
          await storage.insert([entry({ message: 'Stored Before The Index' }), entry()]);

          await search.up({ context: queryInterface });
          await search.up(queryInterface);
          const want = await searchLayout(db.sequelize, reference);
          expect(want.length).toBeGreaterThan(0);
          expect(await searchLayout(db.sequelize, table)).toEqual(want);
          const page = await storage.find({
            search: 'BEFORE THE',
            limit: 50,
            offset: 0,
            order: 'desc',
            withCount: true,
          });
          expect(page.results.map((e) => e.message)).toEqual(['Stored Before The Index']);
          expect(page.count).toBe(1);

          await search.down(queryInterface);
          expect(await searchLayout(db.sequelize, table)).toEqual([]);
        } finally {
          await search.down(queryInterface);
          await db.close();
        }
      });

      it('upgrades a table created before the chain existed, through createEventLogTable or the integrity migration', async () => {
        const db = await backend.open();
        const queryInterface = db.sequelize.getQueryInterface();
        const [legacy, migrated] = [randomTable(), randomTable()];
        const reference = randomTable();
        try {
          await createEventLogTable(db.sequelize, { tableName: reference });
          for (const table of [legacy, migrated]) {
            await eventLogMigration({ tableName: table }).up(queryInterface);
            // What an earlier version created: no batch column, no chain columns, no heads table.
            await eventLogHistoryMigration({ tableName: table }).down(queryInterface);
            await eventLogIntegrityMigration({ tableName: table }).down(queryInterface);
            expect(await queryInterface.tableExists(chainHeadsTableName(table))).toBe(false);
            expect(
              (await tableLayout(db.sequelize, table)).columns.map((c) => c.name),
            ).not.toContain('hash');
          }
          // A legacy table still reads and writes with integrity off, its entries unchained;
          // entries with changes need the changed-keys table, which the upgrade adds.
          const old = sequelizeStorage(db.sequelize, { tableName: legacy, modelName: legacy });
          const [plain] = await old.insert([entry({ changes: null })]);
          expect(plain).toMatchObject({ chain: null, seq: null, prevHash: null, hash: null });
          expect(await old.get(plain?.id ?? '')).toEqual(plain);

          await createEventLogTable(db.sequelize, { tableName: legacy });
          await eventLogIntegrityMigration({ tableName: migrated }).up({ context: queryInterface });
          await eventLogHistoryMigration({ tableName: migrated }).up({ context: queryInterface });
          const want = await tableLayout(db.sequelize, reference);
          const wantHeads = await tableLayout(db.sequelize, chainHeadsTableName(reference));
          for (const table of [legacy, migrated]) {
            expect(await tableLayout(db.sequelize, table)).toEqual(want);
            expect(await tableLayout(db.sequelize, chainHeadsTableName(table))).toEqual(wantHeads);
          }
          const service = new EventLogService(old, { integrity: {} });
          const chained = await service.log({ template: 'after', tool: 'items', action: 'x' });
          expect(chained.seq).toBe(1);
          expect(await old.get(plain?.id ?? '')).toEqual(plain);
          // The row written before integrity was on is outside the chain: verify reports it.
          expect(await service.verify()).toMatchObject({
            ok: false,
            checked: 1,
            partitions: [{ partition: 'default', unchained: { count: 1, firstId: plain?.id } }],
          });
        } finally {
          await db.close();
        }
      });
    },
  );
}
