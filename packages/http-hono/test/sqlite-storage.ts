import { randomBytes } from 'node:crypto';
import { createEventLogTable, knexStorage } from '@eventlog/adapter-knex';
import type { EventLogStorage } from '@eventlog/core/storage';
import knexFactory from 'knex';

/** A fresh knex/SQLite (in-memory) storage under a random table name, and its cleanup. */
export async function sqliteStorage(): Promise<{
  storage: EventLogStorage;
  close(): Promise<void>;
}> {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  const tableName = `eventlog_${randomBytes(4).toString('hex')}`;
  await createEventLogTable(knex, { tableName });
  return { storage: knexStorage(knex, { tableName }), close: () => knex.destroy() };
}
