import { describeSuite } from '@eventlog/conformance';
import { changedKeysTableName } from '@eventlog/sql';
import { postgresUrl } from '@eventlog/test-servers/postgres';
import knexFactory, { type Knex } from 'knex';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createEventLogTable, knexStorage } from '../src/index';
import { entry, postgres, randomTable } from './support';

// A single entry (a `log()`) is sent as a named statement on pg, so the server parses and plans
// it once per connection: what the connection holds is the server's own record of that.
describeSuite(
  'knex storage: single-entry inserts as prepared statements on pg',
  { name: postgres.name, unavailable: postgres.unavailable },
  () => {
    let knex: Knex;
    let table: string;

    beforeEach(async () => {
      // One connection, so every statement below runs where the earlier ones were prepared.
      knex = knexFactory({ client: 'pg', connection: postgresUrl(), pool: { min: 1, max: 1 } });
      table = randomTable();
      await createEventLogTable(knex, { tableName: table });
    });
    afterEach(async () => {
      await knex.schema.dropTableIfExists(changedKeysTableName(table));
      await knex.schema.dropTableIfExists(table);
      await knex.destroy();
    });

    /** The connection's prepared statements that insert into the table. */
    async function prepared(): Promise<{ name: string; statement: string }[]> {
      const { rows } = (await knex.raw(
        'SELECT name, statement FROM pg_prepared_statements WHERE statement ILIKE ? ORDER BY name',
        [`%INSERT INTO "${table}"%`],
      )) as { rows: { name: string; statement: string }[] };
      return rows;
    }

    it('prepares an entry with changes and one without once each, and reuses them', async () => {
      const storage = knexStorage(knex, { tableName: table });
      const keyed = [entry(), entry()];
      const plain = [entry({ changes: null }), entry({ changes: null })];
      const stored = [];
      for (const e of [...keyed, ...plain]) stored.push(...(await storage.insert([e])));
      const statements = await prepared();
      expect(statements).toHaveLength(2);
      expect(statements.every((s) => /^eventlog_[0-9a-f]{40}$/.test(s.name))).toBe(true);
      expect(
        statements.filter((s) => s.statement.includes(changedKeysTableName(table))),
      ).toHaveLength(1);
      for (const e of stored) expect(await storage.get(e.id)).toEqual(e);
    });

    it('keeps writing after the table is dropped and created again on the same connection', async () => {
      const storage = knexStorage(knex, { tableName: table });
      await storage.insert([entry()]);
      await storage.insert([entry({ changes: null })]);
      await knex.schema.dropTable(changedKeysTableName(table));
      await knex.schema.dropTable(table);
      await createEventLogTable(knex, { tableName: table });
      const [keyed] = await storage.insert([entry()]);
      const [plain] = await storage.insert([entry({ changes: null })]);
      expect(await storage.get(keyed?.id as string)).toEqual(keyed);
      expect(await storage.get(plain?.id as string)).toEqual(plain);
      const { rows } = (await knex.raw('SELECT changed_key FROM ?? WHERE entry_id = ?', [
        changedKeysTableName(table),
        keyed?.id as string,
      ])) as { rows: { changed_key: string }[] };
      expect(rows.map((r) => r.changed_key)).toEqual(['name']);
    });
  },
);
