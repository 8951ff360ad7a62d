import { ConfigurationError } from '@eventlog/core';
import type { Knex } from 'knex';
import { dialectOf } from './dialect';

/** Options shared by the storage, `createEventLogTable` and `eventLogMigration`. */
export interface EventLogTableOptions {
  /** Table name; default `"eventlog"`. */
  tableName?: string;
}

/** The table name used when none is given. */
export const DEFAULT_TABLE_NAME = 'eventlog';

/**
 * The table name of `options`, checked: knex reads a `?` anywhere in a statement as a
 * placeholder, even inside a quoted name, so such a table could be created on SQLite and then
 * break every statement on PostgreSQL.
 */
export function tableNameOf(options: EventLogTableOptions): string {
  const name = options.tableName ?? DEFAULT_TABLE_NAME;
  if (typeof name !== 'string' || name.length === 0 || /[?\0]/.test(name)) {
    throw new ConfigurationError(
      `tableName must be a non-empty string without "?" or NUL, got ${JSON.stringify(name)}`,
    );
  }
  return name;
}

const indexName = (table: string, suffix: string) =>
  `${table.replace(/\W/g, '_')}_${suffix}`.slice(0, 63);

/**
 * The collation of MySQL tables: binary and NO PAD, so text compares exactly as on PostgreSQL and
 * SQLite. A server's default (`utf8mb4_general_ci` on many installs) would make `eventId` "A" a
 * duplicate of "a", merge chain partitions differing in case, and match filters case-blind; even
 * `utf8mb4_bin` ignores trailing spaces. MariaDB calls it `utf8mb4_nopad_bin`, MySQL 8
 * `utf8mb4_0900_bin`; older servers have neither and get `utf8mb4_bin`.
 */
async function mysqlCollation(knex: Knex): Promise<string> {
  const [rows] = (await knex.raw(
    "SHOW COLLATION WHERE Collation IN ('utf8mb4_nopad_bin', 'utf8mb4_0900_bin')",
  )) as [{ Collation: string }[]];
  return rows[0]?.Collation ?? 'utf8mb4_bin';
}

/** Table options per dialect: MySQL's character set and collation, none elsewhere. */
async function tableOptionsOf(knex: Knex): Promise<(t: Knex.CreateTableBuilder) => void> {
  if (dialectOf(knex).kind !== 'mysql') return () => {};
  const collation = await mysqlCollation(knex);
  return (t) => {
    t.charset('utf8mb4');
    t.collate(collation);
  };
}

/**
 * Defines the table: column types per dialect (PostgreSQL `bigserial`, `timestamptz(6)`,
 * `jsonb`; SQLite integer ids, fixed-width ISO-8601 text timestamps with microseconds and JSON
 * text; MySQL `datetime(6)` and JSON as `longtext`) and one index per list route, each ending in
 * `(timestamp, id)` so keyset pages are index range scans.
 *
 * MySQL's JSON types refuse values the port accepts: MariaDB's `json` checks `JSON_VALID`, which
 * fails past 32 levels of nesting (core allows 64), and MySQL 8's sorts object keys. The adapter
 * writes and parses the JSON text itself, so `longtext` keeps it byte for byte; `JSON_VALUE` and
 * friends still work on it.
 */
async function defineTable(knex: Knex, tableName: string): Promise<void> {
  const kind = dialectOf(knex).kind;
  const tableOptions = await tableOptionsOf(knex);
  await knex.schema.createTable(tableName, (t) => {
    tableOptions(t);
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
      kind === 'postgres'
        ? t.jsonb(name)
        : kind === 'mysql'
          ? t.text(name, 'longtext')
          : t.text(name);
    json('values').nullable();
    t.string('tool', 255).notNullable();
    t.string('action', 255).notNullable();
    t.string('object_type', 255).nullable();
    t.string('object_id', 255).nullable();
    json('changes').nullable();
    json('metadata').nullable();
    t.string('event_id', 255).nullable();
    chainColumns(t, tableName);

    t.unique(['event_id'], { indexName: indexName(tableName, 'event_id_key') });
    t.index(['object_type', 'object_id', 'timestamp', 'id'], indexName(tableName, 'object_idx'));
    t.index(['tool', 'timestamp', 'id'], indexName(tableName, 'tool_idx'));
    t.index(['actor_id', 'timestamp', 'id'], indexName(tableName, 'actor_idx'));
    t.index(['timestamp', 'id'], indexName(tableName, 'timestamp_idx'));
  });
}

/** The table of chain heads (one row per partition) that goes with `tableName`. */
export const chainHeadsTableName = (tableName: string): string => `${tableName}_chain_heads`;

/**
 * The hash chain columns (all null when integrity is off) and the unique `(chain, seq)` index
 * that makes a forked chain fail to commit instead of being stored.
 */
function chainColumns(t: Knex.CreateTableBuilder, tableName: string): void {
  t.string('chain', 255).nullable();
  t.bigInteger('seq').nullable();
  t.string('prev_hash', 64).nullable();
  t.string('hash', 64).nullable();
  t.unique(['chain', 'seq'], { indexName: indexName(tableName, 'chain_seq_key') });
}

/**
 * One row per partition: the last entry (`seq`, `hash`), where verification starts after a purge
 * (`start_seq`, `start_hash`) and the latest checkpoint. Appends lock their partition's row.
 */
async function defineHeads(knex: Knex, tableName: string): Promise<void> {
  const tableOptions = await tableOptionsOf(knex);
  await knex.schema.createTable(chainHeadsTableName(tableName), (t) => {
    tableOptions(t);
    t.string('chain', 255).primary();
    t.bigInteger('seq').notNullable().defaultTo(0);
    t.string('hash', 64).notNullable();
    t.bigInteger('start_seq').notNullable().defaultTo(0);
    t.string('start_hash', 64).notNullable();
    t.bigInteger('checkpoint_seq').nullable();
    t.string('checkpoint_hash', 64).nullable();
    // ISO 8601 text: the same in every dialect, and exactly what was signed.
    t.string('checkpoint_at', 30).nullable();
  });
}

/** Adds the chain columns and the heads table to a table created before integrity existed. */
async function upgrade(knex: Knex, tableName: string): Promise<void> {
  if (!(await knex.schema.hasColumn(tableName, 'hash'))) {
    await knex.schema.alterTable(tableName, (t) => chainColumns(t, tableName));
  }
  if (!(await knex.schema.hasTable(chainHeadsTableName(tableName)))) {
    await defineHeads(knex, tableName);
  }
}

/**
 * Creates the event log table, its indexes and its chain-heads table unless they exist, and adds
 * the hash chain columns to a table created by an earlier version (idempotent: safe to call at
 * every start-up). The DDL runs in one transaction where the database allows it, so a failure
 * leaves no half-built table on PostgreSQL and SQLite.
 */
export async function createEventLogTable(
  knex: Knex,
  options: EventLogTableOptions = {},
): Promise<void> {
  const tableName = tableNameOf(options);
  await knex.transaction(async (trx) => {
    if (!(await trx.schema.hasTable(tableName))) await defineTable(trx, tableName);
    await upgrade(trx, tableName);
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
 * and its chain-heads table (failing if they exist, like any migration); `down` drops them.
 */
export function eventLogMigration(options: EventLogTableOptions = {}): EventLogMigration {
  const tableName = tableNameOf(options);
  return {
    async up(knex) {
      await defineTable(knex, tableName);
      await defineHeads(knex, tableName);
    },
    async down(knex) {
      await knex.schema.dropTableIfExists(chainHeadsTableName(tableName));
      await knex.schema.dropTableIfExists(tableName);
    },
  };
}

/**
 * For tables created by `eventLogMigration()` before tamper evidence existed: `up` adds the hash
 * chain columns, the `(chain, seq)` index and the chain-heads table; `down` removes them.
 */
export function eventLogIntegrityMigration(options: EventLogTableOptions = {}): EventLogMigration {
  const tableName = tableNameOf(options);
  return {
    up: (knex) => upgrade(knex, tableName),
    async down(knex) {
      await knex.schema.dropTableIfExists(chainHeadsTableName(tableName));
      await knex.schema.alterTable(tableName, (t) => {
        t.dropUnique(['chain', 'seq'], indexName(tableName, 'chain_seq_key'));
        t.dropColumns('chain', 'seq', 'prev_hash', 'hash');
      });
    },
  };
}
