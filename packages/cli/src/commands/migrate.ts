import { createEventLogTable } from '@eventlog/adapter-knex';
import { CONNECTION_OPTIONS, CONNECTION_USAGE, type Command, write } from '../command';
import { EXIT } from '../usage-error';
import { withConnection } from './with-connection';

/** `eventlog migrate`: creates or upgrades the table. */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'create the table, or add what a newer version needs (idempotent)',
  usage: `Usage: eventlog migrate

Creates the event log table, its indexes and its chain-heads table, or adds the hash chain
columns to a table created by an earlier version. Safe to run again.

${CONNECTION_USAGE}`,
  options: { ...CONNECTION_OPTIONS },
  async run(values, io) {
    return withConnection(values, async ({ knex, tableName }) => {
      await createEventLogTable(knex, { tableName });
      await write(io.stdout, `table "${tableName}" is up to date\n`);
      return EXIT.ok;
    });
  },
};
