import type { Knex } from 'knex';
import { dialectOf } from './dialect';

/** Options shared by the storage, `createEventLogTable` and `eventLogMigration`. */
export interface EventLogTableOptions {
  /** Table name; default `"eventlog"`. */
  tableName?: string;
}

/** The table name used when none is given. */
export const DEFAULT_TABLE_NAME = 'eventlog';

const indexName = (table: string, suffix: string) =>
  `${table.replace(/\W/g, '_')}_${suffix}`.slice(0, 63);

/**
 * Defines the table: column types per dialect (PostgreSQL `bigserial`, `timestamptz(6)`,
 * `jsonb`; SQLite integer ids, fixed-width ISO-8601 text timestamps with microseconds and JSON
 * text; MySQL `datetime(6)` and `json`) and one index per list route, each ending in
 * `(timestamp, id)` so keyset pages are index range scans.
 */
function defineTable(knex: Knex, tableName: string): Knex.SchemaBuilder {
  const kind = dialectOf(knex).kind;
  return knex.schema.createTable(tableName, (t) => {
    if (kind === 'sqlite') t.increments('id');
    else t.bigIncrements('id');
    if (kind === 'postgres') t.timestamp('timestamp', { useTz: true, precision: 6 }).notNullable();
    else if (kind === 'mysql') t.datetime('timestamp', { precision: 6 }).notNullable();
    else t.string('timestamp', 27).notNullable();
    t.string('actor_id', 255).nullable();
    t.text('actor_label').nullable();
    t.text('message').notNullable();
    t.text('template').nullable();
    const json = (name: string) =>
      kind === 'postgres' ? t.jsonb(name) : kind === 'mysql' ? t.json(name) : t.text(name);
    json('values').nullable();
    t.string('tool', 255).notNullable();
    t.string('action', 255).notNullable();
    t.string('object_type', 255).nullable();
    t.string('object_id', 255).nullable();
    json('changes').nullable();
    json('metadata').nullable();
    t.string('event_id', 255).nullable();

    t.unique(['event_id'], { indexName: indexName(tableName, 'event_id_key') });
    t.index(['object_type', 'object_id', 'timestamp', 'id'], indexName(tableName, 'object_idx'));
    t.index(['tool', 'timestamp', 'id'], indexName(tableName, 'tool_idx'));
    t.index(['actor_id', 'timestamp', 'id'], indexName(tableName, 'actor_idx'));
    t.index(['timestamp', 'id'], indexName(tableName, 'timestamp_idx'));
  });
}

/**
 * Creates the event log table and its indexes unless the table exists (idempotent: safe to call
 * at every start-up). The DDL runs in one transaction where the database allows it, so a failure
 * leaves no half-built table on PostgreSQL and SQLite.
 */
export async function createEventLogTable(
  knex: Knex,
  options: EventLogTableOptions = {},
): Promise<void> {
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  await knex.transaction(async (trx) => {
    if (await trx.schema.hasTable(tableName)) return;
    await defineTable(trx, tableName);
  });
}

/** A knex migration module: what a file in your `migrations/` directory exports. */
export interface EventLogMigration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * The table as a knex migration, for projects that run `knex migrate`. In a migration file:
 * `export const { up, down } = eventLogMigration();`. `up` creates the table and its indexes
 * (failing if it exists, like any migration); `down` drops it.
 */
export function eventLogMigration(options: EventLogTableOptions = {}): EventLogMigration {
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  return {
    async up(knex) {
      await defineTable(knex, tableName);
    },
    async down(knex) {
      await knex.schema.dropTableIfExists(tableName);
    },
  };
}
