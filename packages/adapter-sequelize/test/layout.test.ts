import { createEventLogTable as createKnexTable } from '@eventlog/adapter-knex';
import { describeSuite } from '@eventlog/conformance';
import { HEAD_COLUMNS, TABLE_COLUMNS, tableIndexes } from '@eventlog/sql';
import knexFactory from 'knex';
import { expect, it } from 'vitest';
import {
  chainHeadsTableName,
  createEventLogTable,
  defineEventLogModel,
  eventLogMigration,
} from '../src/index';
import { searchLayout, tableLayout } from './layout';
import { backends, randomTable } from './support';

// The one test that the SQL adapters agree: each renders the layout of @eventlog/sql with its
// own schema tools, and the database catalog must show the same tables either way.
for (const backend of backends) {
  describeSuite(
    `one SQL layout on ${backend.name}`,
    { name: `sequelize (${backend.name})`, unavailable: backend.unavailable },
    () => {
      it('knex, Sequelize (createEventLogTable, migration, Model.sync) create the same catalog', async () => {
        const db = await backend.open();
        const knex =
          backend.name === 'PostgreSQL'
            ? knexFactory({ client: 'pg', connection: db.location, pool: { min: 0, max: 1 } })
            : knexFactory({
                client: 'better-sqlite3',
                connection: { filename: db.location },
                useNullAsDefault: true,
              });
        const viaKnex = randomTable();
        try {
          await createKnexTable(knex, { tableName: viaKnex });
          const theirs = await tableLayout(db.sequelize, viaKnex);
          const theirHeads = await tableLayout(db.sequelize, chainHeadsTableName(viaKnex));
          // The catalog holds the layout's columns and indexes, in order.
          expect(theirs.columns.map((c) => c.name)).toEqual(TABLE_COLUMNS.map((c) => c.name));
          expect(theirHeads.columns.map((c) => c.name)).toEqual(HEAD_COLUMNS.map((c) => c.name));
          const indexes = tableIndexes(viaKnex).map((i) => ({
            ...i,
            name: i.name.replace(viaKnex, '<table>'),
          }));
          const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
          expect(theirs.indexes.filter((i) => !i.name.endsWith('_pkey')).sort(byName)).toEqual(
            indexes.sort(byName),
          );

          const viaSequelize = randomTable();
          await createEventLogTable(db.sequelize, { tableName: viaSequelize });
          const viaMigration = randomTable();
          await eventLogMigration({ tableName: viaMigration }).up(db.sequelize.getQueryInterface());
          // Model.sync() (for apps that sync instead of migrating) builds the same log table.
          const viaSync = randomTable();
          await defineEventLogModel(db.sequelize, {
            tableName: viaSync,
            modelName: viaSync,
          }).sync();
          for (const table of [viaSequelize, viaMigration, viaSync]) {
            expect(await tableLayout(db.sequelize, table)).toEqual(theirs);
          }
          for (const table of [viaSequelize, viaMigration]) {
            expect(await tableLayout(db.sequelize, chainHeadsTableName(table))).toEqual(theirHeads);
          }
          // The search index: the same from every creator but Model.sync(), which has none.
          const theirSearch = await searchLayout(db.sequelize, viaKnex);
          expect(theirSearch.length).toBeGreaterThan(0);
          for (const table of [viaSequelize, viaMigration]) {
            expect(await searchLayout(db.sequelize, table)).toEqual(theirSearch);
          }
          expect(await searchLayout(db.sequelize, viaSync)).toEqual([]);
        } finally {
          await knex.destroy();
          await db.close();
        }
      });
    },
  );
}
