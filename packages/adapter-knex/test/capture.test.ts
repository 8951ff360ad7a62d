import { type ItemRow, runCaptureConformance } from '@eventlog/conformance';
import { EventLogService } from '@eventlog/core';
import type { Knex } from 'knex';
import { captureTable, chainHeadsTableName, createEventLogTable, knexStorage } from '../src/index';
import { backends, randomTable } from './support';

for (const backend of backends) {
  runCaptureConformance<Knex.Transaction>({
    name: `knex (${backend.name})`,
    unavailable: backend.unavailable,
    async create({ options, integrity }) {
      const { knex, close } = await backend.open();
      const log = randomTable();
      const items = `items_${log.slice('eventlog_'.length)}`;
      await createEventLogTable(knex, { tableName: log });
      await knex.schema.createTable(items, (t) => {
        t.increments('id');
        t.string('name', 100).notNullable();
        t.string('status', 20).notNullable();
        t.integer('qty').notNullable().defaultTo(0);
        t.string('password', 100).nullable();
        t.string('note', 100).nullable();
      });
      const eventlog = new EventLogService(knexStorage(knex, { tableName: log }), {
        ...(integrity && { integrity: {} }),
      });
      const table = captureTable<ItemRow & Record<string, unknown>>(eventlog, knex, items, options);
      return {
        eventlog,
        outsideTransaction: 'wraps',
        insert: (rows, o) => table.insert(rows, o),
        update: (where, patch, o) => table.update(where, patch, o),
        delete: (where, o) => table.delete(where, o),
        revert: (entryId, o) => table.revert(entryId, o),
        transaction: (fn) => knex.transaction(fn),
        rows: async (where = {}) => (await knex(items).where(where).orderBy('id')) as ItemRow[],
        async close() {
          await knex.schema.dropTableIfExists(items);
          await knex.schema.dropTableIfExists(chainHeadsTableName(log));
          await knex.schema.dropTableIfExists(log);
          await close();
        },
      };
    },
  });
}
