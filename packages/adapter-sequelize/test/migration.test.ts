import { createEventLogTable as createKnexTable } from '@eventlog/adapter-knex';
import knexFactory from 'knex';
import { SequelizeStorage, Umzug } from 'umzug';
import { describe, expect, it } from 'vitest';
import {
  createEventLogTable,
  defineEventLogModel,
  eventLogMigration,
  sequelizeStorage,
} from '../src/index';
import { tableLayout } from './layout';
import { backends, entry, randomTable } from './support';

for (const backend of backends) {
  describe.skipIf(backend.unavailable !== undefined)(
    `migration on ${backend.name}${backend.unavailable ? ` (SKIPPED: ${backend.unavailable})` : ''}`,
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
              '<table>_event_id_key',
              '<table>_object_idx',
              '<table>_timestamp_idx',
              '<table>_tool_idx',
            ]),
          );
          const storage = sequelizeStorage(sequelize, { tableName: table });
          const [stored] = await storage.insert([entry({ eventId: 'once' })]);
          expect(await storage.get(stored?.id ?? '')).toEqual(stored);
          await expect(storage.insert([entry({ eventId: 'once' })])).rejects.toThrow();
          expect((await umzug.executed()).map((m) => m.name)).toEqual(['20240101000000-eventlog']);
          await umzug.down();
          expect(await sequelize.getQueryInterface().tableExists(table)).toBe(false);
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
          await expect(migration.up(queryInterface, db.sequelize.constructor)).rejects.toThrow();
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

      it('creates exactly the layout and indexes of the knex adapter', async () => {
        const db = await backend.open();
        const knex =
          backend.name === 'PostgreSQL'
            ? knexFactory({ client: 'pg', connection: db.location, pool: { min: 0, max: 1 } })
            : knexFactory({
                client: 'better-sqlite3',
                connection: { filename: db.location },
                useNullAsDefault: true,
              });
        const viaSequelize = randomTable();
        const viaKnex = randomTable();
        try {
          await createEventLogTable(db.sequelize, { tableName: viaSequelize });
          await createKnexTable(knex, { tableName: viaKnex });
          const ours = await tableLayout(db.sequelize, viaSequelize);
          const theirs = await tableLayout(db.sequelize, viaKnex);
          expect(ours.columns).toEqual(theirs.columns);
          expect(ours.indexes).toEqual(theirs.indexes);
          // Model.sync() (for apps that sync instead of migrating) builds the same table.
          const viaSync = randomTable();
          await defineEventLogModel(db.sequelize, {
            tableName: viaSync,
            modelName: viaSync,
          }).sync();
          expect(await tableLayout(db.sequelize, viaSync)).toEqual(theirs);
        } finally {
          await knex.destroy();
          await db.close();
        }
      });
    },
  );
}
