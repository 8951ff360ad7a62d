import { describeSuite } from '@eventlog/conformance';
import type { Knex } from 'knex';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createEventLogTable, knexStorage } from '../src/index';
import { entry, postgres, randomTable } from './support';

// Which path a batch takes is this adapter's choice (COPY needs the pg driver); what it stores is
// checked for every adapter by the conformance suite's large batches.
describeSuite(
  'knex storage: COPY for large batches on PostgreSQL',
  { name: postgres.name, unavailable: postgres.unavailable },
  () => {
    let knex: Knex;
    let close: () => Promise<void>;
    let table: string;
    let statements: string[];
    const record = (q: { sql: string }) => statements.push(q.sql);

    beforeEach(async () => {
      ({ knex, close } = await postgres.open());
      table = randomTable();
      await createEventLogTable(knex, { tableName: table });
      statements = [];
      knex.on('query', record);
    });
    afterEach(async () => {
      knex.off('query', record);
      await knex.schema.dropTableIfExists(table);
      await close();
    });

    const batch = (n: number) => Array.from({ length: n }, (_, i) => entry({ message: `m${i}` }));
    const inserts = () => statements.filter((sql) => /^insert into/i.test(sql));
    const reservations = () => statements.filter((sql) => sql.includes('nextval('));

    it('copies a batch of copyFrom entries or more, and inserts a smaller one', async () => {
      const storage = knexStorage(knex, { tableName: table, copyFrom: 20 });
      const copied = await storage.insert(batch(20));
      expect(reservations()).toHaveLength(1);
      expect(inserts()).toEqual([]);
      expect(await storage.get(copied[19]?.id as string)).toEqual(copied[19]);
      await storage.insert(batch(19));
      expect(reservations()).toHaveLength(1);
      expect(inserts().length).toBeGreaterThan(0);
    });

    it('never copies with copyFrom: false', async () => {
      const storage = knexStorage(knex, { tableName: table, copyFrom: false });
      await storage.insert(batch(50));
      expect(reservations()).toEqual([]);
      expect(inserts().length).toBeGreaterThan(0);
    });

    it('inserts instead when the id column is GENERATED ALWAYS, which COPY cannot write', async () => {
      await knex.raw('ALTER TABLE ?? ALTER COLUMN id DROP DEFAULT', [table]);
      await knex.raw('ALTER TABLE ?? ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY', [table]);
      const storage = knexStorage(knex, { tableName: table, copyFrom: 20 });
      const stored = await storage.insert(batch(30));
      expect(inserts().length).toBeGreaterThan(0);
      expect(stored.map((e) => e.message)).toEqual(batch(30).map((e) => e.message));
      expect(await storage.get(stored[29]?.id as string)).toEqual(stored[29]);
    });
  },
);
