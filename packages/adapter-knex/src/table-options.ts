import type { Knex } from 'knex';

/** Options shared by the storage, `createEventLogTable` and `eventLogMigration`. */
export interface EventLogTableOptions {
  /** Table name; default `"eventlog"`. */
  tableName?: string;
}

/** A knex migration module: what a file in your `migrations/` directory exports. */
export interface EventLogMigration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}
