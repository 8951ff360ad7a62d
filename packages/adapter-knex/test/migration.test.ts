import { describeSuite } from '@eventlog/conformance';
import type { Knex } from 'knex';
import { expect, it } from 'vitest';
import { createEventLogTable, eventLogMigration, knexStorage } from '../src/index';
import { backends, entry, randomTable } from './support';

async function indexNames(knex: Knex, table: string): Promise<string[]> {
  if (knex.client.dialect === 'postgresql') {
    const res = (await knex.raw('SELECT indexname FROM pg_indexes WHERE tablename = ?', [
      table,
    ])) as {
      rows: { indexname: string }[];
    };
    return res.rows.map((r) => r.indexname).sort();
  }
  if (knex.client.dialect === 'mysql') {
    const [rows] = (await knex.raw(
      'SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ?',
      [table],
    )) as [{ name: string }[]];
    return rows.map((r) => r.name).sort();
  }
  const rows = (await knex('sqlite_master')
    .where({ type: 'index', tbl_name: table })
    .select('name')) as {
    name: string;
  }[];
  return rows.map((r) => r.name).sort();
}

for (const backend of backends) {
  describeSuite(
    `schema on ${backend.name}`,
    { name: backend.name, unavailable: backend.unavailable },
    () => {
      it('runs the migration up and down through knex migrate', async () => {
        const { knex, close } = await backend.open();
        const table = randomTable();
        const config: Knex.MigratorConfig = {
          tableName: `migrations_${table}`,
          migrationSource: {
            getMigrations: async () => ['20240101000000_eventlog'],
            getMigrationName: (name: string) => name,
            getMigration: async () => eventLogMigration({ tableName: table }),
          },
        };
        try {
          await knex.migrate.latest(config);
          expect(await knex.schema.hasTable(table)).toBe(true);
          expect(await indexNames(knex, table)).toEqual(
            expect.arrayContaining([
              `${table}_actor_idx`,
              `${table}_event_id_key`,
              `${table}_object_idx`,
              `${table}_timestamp_idx`,
              `${table}_tool_idx`,
            ]),
          );
          const storage = knexStorage(knex, { tableName: table });
          const [stored] = await storage.insert([entry()]);
          expect(await storage.get(stored?.id ?? '')).toEqual(stored);
          await knex.migrate.rollback(config, true);
          expect(await knex.schema.hasTable(table)).toBe(false);
        } finally {
          await knex.schema.dropTableIfExists(table);
          await knex.schema.dropTableIfExists(`migrations_${table}`);
          await knex.schema.dropTableIfExists(`migrations_${table}_lock`);
          await close();
        }
      });

      it('creates the table idempotently and keeps existing rows', async () => {
        const { knex, close } = await backend.open();
        const table = randomTable();
        try {
          await createEventLogTable(knex, { tableName: table });
          const storage = knexStorage(knex, { tableName: table });
          await storage.insert([entry()]);
          await createEventLogTable(knex, { tableName: table });
          await Promise.all([
            createEventLogTable(knex, { tableName: table }),
            createEventLogTable(knex, { tableName: table }),
          ]);
          expect(Number((await knex(table).count({ n: '*' }))[0]?.n)).toBe(1);
        } finally {
          await knex.schema.dropTableIfExists(table);
          await close();
        }
      });
    },
  );
}
