import { CONNECTION_OPTIONS, CONNECTION_USAGE, type Command, write } from '../command';
import { loadPackage } from '../load-package';
import { EXIT, UsageError } from '../usage-error';
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
      if (knex === undefined || tableName === undefined) {
        throw new UsageError(
          'migrate creates knex tables (--db, or a config holding { client, connection }); a Sequelize or Mongoose log is created by its adapter (see its README)',
        );
      }
      const { createEventLogTable } = await loadPackage<typeof import('@eventlog/adapter-knex')>(
        '@eventlog/adapter-knex',
        'migrate',
      );
      const existed = await knex.schema.hasTable(tableName);
      await createEventLogTable(knex, { tableName });
      await write(
        io.stdout,
        existed
          ? `table "${tableName}" is up to date\n`
          : `created table "${tableName}" with its indexes and chain-heads table\n`,
      );
      return EXIT.ok;
    });
  },
};
