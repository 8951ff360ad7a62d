import { describeSuite } from '@eventlog/conformance';
import { ConfigurationError } from '@eventlog/core';
import { postgresUrl } from '@eventlog/test-servers/postgres';
import knexFactory, { type Knex } from 'knex';
import { expect, it } from 'vitest';
import { createEventLogTable, eventLogSearchMigration, knexStorage } from '../src/index';
import { type Backend, entry, postgres, randomTable, sqliteFile } from './support';

/**
 * The plan of the last page statement `storage.find({ search })` runs (the one whose rows it
 * answers; PostgreSQL first walks a window of the newest rows), with sequential scans discouraged.
 */
async function searchPlan(knex: Knex, table: string, search: string): Promise<string> {
  const storage = knexStorage(knex, { tableName: table });
  let seen: { sql: string; bindings: unknown[] } | undefined;
  const listener = (q: { sql: string; bindings: unknown[] }) => {
    if (/^(select \*|with )/i.test(q.sql)) seen = q;
  };
  knex.on('query', listener);
  await storage.find({ search, limit: 50, offset: 0, order: 'desc', withCount: false });
  knex.off('query', listener);
  if (!seen) throw new Error('no SELECT seen');
  // pg's statements number their placeholders; knex.raw takes `?`.
  const sql = seen.sql.replace(/\$\d+/g, '?');
  const { bindings } = seen;
  if (knex.client.dialect !== 'postgresql') {
    const rows = (await knex.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings as [])) as {
      detail: string;
    }[];
    return rows.map((r) => r.detail).join('\n');
  }
  // On a few rows a scan (of the table, or of an index in keyset order) is cheapest: what matters
  // is that the trigram index can serve the search.
  return knex.transaction(async (trx) => {
    await trx.raw('SET LOCAL enable_seqscan = off');
    await trx.raw('SET LOCAL enable_indexscan = off');
    const result = (await trx.raw(`EXPLAIN ${sql}`, bindings as [])) as {
      rows: { 'QUERY PLAN': string }[];
    };
    return result.rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

/**
 * What the plan names when the search index serves the search: on PostgreSQL the index of tool
 * and message, or of the message alone where `btree_gin` could not be created (`toolToo` false).
 */
const indexIn = (knex: Knex, table: string, toolToo = true): RegExp =>
  knex.client.dialect === 'postgresql'
    ? new RegExp(`Bitmap Index Scan on ${table}_${toolToo ? 'tool_' : ''}message_trgm_idx`)
    : new RegExp(`SCAN ${table}_search VIRTUAL TABLE INDEX`);

for (const backend of [sqliteFile, postgres] as Backend[]) {
  describeSuite(
    `search index on ${backend.name}`,
    { name: backend.name, unavailable: backend.unavailable },
    () => {
      it('createEventLogTable creates an index that serves search; a short pattern scans', async () => {
        const { knex, close } = await backend.open();
        const table = randomTable();
        try {
          await createEventLogTable(knex, { tableName: table });
          await knexStorage(knex, { tableName: table }).insert([
            entry({ message: 'needle in a haystack' }),
          ]);
          expect(await searchPlan(knex, table, 'needle')).toMatch(indexIn(knex, table));
          if (knex.client.dialect !== 'postgresql') {
            expect(await searchPlan(knex, table, 'ne')).not.toMatch(indexIn(knex, table));
          }
        } finally {
          await eventLogSearchMigration({ tableName: table }).down(knex);
          await knex.schema.dropTableIfExists(table);
          await close();
        }
      });

      it('eventLogSearchMigration indexes the entries already stored; down removes the index', async () => {
        const { knex, close } = await backend.open();
        const table = randomTable();
        const migration = eventLogSearchMigration({ tableName: table });
        try {
          await createEventLogTable(knex, { tableName: table });
          await migration.down(knex);
          const storage = knexStorage(knex, { tableName: table });
          await storage.insert([entry({ message: 'Stored Before The Index' }), entry()]);
          expect(await searchPlan(knex, table, 'before the')).not.toMatch(indexIn(knex, table));
          await migration.up(knex);
          await migration.up(knex);
          expect(await searchPlan(knex, table, 'before the')).toMatch(indexIn(knex, table));
          // Found through the index: the rows stored before it were indexed.
          const fresh = knexStorage(knex, { tableName: table });
          const page = await fresh.find({
            search: 'BEFORE THE',
            limit: 50,
            offset: 0,
            order: 'desc',
            withCount: false,
          });
          expect(page.results.map((e) => e.message)).toEqual(['Stored Before The Index']);
          await migration.down(knex);
          expect(await searchPlan(knex, table, 'before the')).not.toMatch(indexIn(knex, table));
          await storage.insert([entry({ message: 'written with no index' })]);
        } finally {
          await migration.down(knex);
          await knex.schema.dropTableIfExists(table);
          await close();
        }
      });
    },
  );
}

describeSuite(
  'search index: a role that may not create pg_trgm',
  { name: 'PostgreSQL', unavailable: postgres.unavailable },
  () => {
    it('fails with a ConfigurationError saying what a superuser must run, then works once it ran', async () => {
      const { knex: admin, close } = await postgres.open();
      const name = randomTable();
      const url = new URL(postgresUrl());
      await admin.raw(`CREATE ROLE ${name} LOGIN PASSWORD 'pw'`);
      await admin.raw(`CREATE DATABASE ${name}`);
      const inDb = knexFactory({
        client: 'pg',
        connection: Object.assign(new URL(url), { pathname: `/${name}` }).href,
        pool: { min: 0, max: 1 },
      });
      const asRole = knexFactory({
        client: 'pg',
        connection: Object.assign(new URL(url), {
          pathname: `/${name}`,
          username: name,
          password: 'pw',
        }).href,
        pool: { min: 0, max: 1 },
      });
      try {
        // Allowed to create tables, not extensions (that takes CREATE on the database).
        await inDb.raw(`GRANT CREATE ON SCHEMA public TO ${name}`);
        const failure = await createEventLogTable(asRole).catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(ConfigurationError);
        expect((failure as Error).message).toContain(
          `A superuser must run, connected to database "${name}": CREATE EXTENSION IF NOT EXISTS pg_trgm;`,
        );
        expect((failure as Error).message).toContain(`role "${name}"`);
        // One transaction: nothing half-built is left behind.
        expect(await asRole.schema.hasTable('eventlog')).toBe(false);

        await inDb.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
        await createEventLogTable(asRole);
        // btree_gin is optional: without it the index covers the message alone, and a search
        // inside a tool keeps working (walking the tool's rows).
        const btreeGin = "SELECT 1 FROM pg_extension WHERE extname = 'btree_gin'";
        expect((await inDb.raw(btreeGin)).rows).toEqual([]);
        expect(await searchPlan(asRole, 'eventlog', 'needle')).toMatch(
          indexIn(asRole, 'eventlog', false),
        );
        const storage = knexStorage(asRole);
        await storage.insert([entry({ message: 'a needle', tool: 'cli' }), entry({ tool: 'cli' })]);
        const found = await storage.find({
          search: 'NEEDLE',
          tool: ['cli'],
          limit: 50,
          offset: 0,
          order: 'desc',
          withCount: false,
        });
        expect(found.results.map((e) => e.message)).toEqual(['a needle']);

        // Once a superuser created btree_gin, running the migration again moves to the index of
        // tool and message.
        await inDb.raw('CREATE EXTENSION IF NOT EXISTS btree_gin');
        await eventLogSearchMigration().up(asRole);
        expect(await searchPlan(asRole, 'eventlog', 'needle')).toMatch(indexIn(asRole, 'eventlog'));
        const indexes = await inDb.raw(
          "SELECT indexname FROM pg_indexes WHERE tablename = 'eventlog' AND indexname LIKE '%trgm%'",
        );
        expect(indexes.rows).toEqual([{ indexname: 'eventlog_tool_message_trgm_idx' }]);
      } finally {
        await asRole.destroy();
        await inDb.destroy();
        await admin.raw(`DROP DATABASE IF EXISTS ${name}`);
        await admin.raw(`DROP ROLE IF EXISTS ${name}`);
        await close();
      }
    });
  },
);
