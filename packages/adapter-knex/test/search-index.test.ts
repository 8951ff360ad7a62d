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

/** What the plan names when the search index serves the search. */
const indexIn = (knex: Knex, table: string): RegExp =>
  knex.client.dialect === 'postgresql'
    ? new RegExp(`Bitmap Index Scan on ${table}_message_trgm_idx`)
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
        expect(await searchPlan(asRole, 'eventlog', 'needle')).toMatch(indexIn(asRole, 'eventlog'));
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
