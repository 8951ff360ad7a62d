import {
  batchIndex,
  CHAIN_COLUMNS,
  CHANGED_KEY_COLUMNS,
  chainHeadsTableName,
  chainSeqIndex,
  changedKeyIndex,
  changedKeysTableName,
  type DialectKind,
  HEAD_COLUMNS,
  HISTORY_COLUMNS,
  type SqlColumn,
  type SqlIndex,
  sqlDialect,
  TABLE_COLUMNS,
  tableIndexes,
  tableNameOf,
} from '@eventlog/sql';
import type { Knex } from 'knex';
import { knexStorage } from './knex-storage';
import { createPartitionedTable, type PartitionOptions } from './partitions';
import { defineSearchIndex, removeSearchIndex } from './search-index';
import type { EventLogMigration, EventLogTableOptions } from './table-options';

export type { EventLogMigration, EventLogTableOptions } from './table-options';

/** The SQL family of a knex instance, from its client's `dialect` name. */
export const dialectKindOf = (knex: Knex): DialectKind =>
  sqlDialect(knex.client.dialect ?? knex.client.config?.client, '@eventlog/adapter-knex').kind;

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
  if (dialectKindOf(knex) !== 'mysql') return () => {};
  const collation = await mysqlCollation(knex);
  return (t) => {
    t.charset('utf8mb4');
    t.collate(collation);
  };
}

/**
 * Adds one column of the layout: PostgreSQL `bigserial`, `timestamptz(6)`, `jsonb`; SQLite
 * integer ids, fixed-width ISO-8601 text timestamps with microseconds and JSON text; MySQL
 * `datetime(6)`, and text and JSON as `longtext` (MySQL's `text` holds 65,535 bytes: a longer
 * message fails in strict mode and is cut without it).
 *
 * MySQL's JSON types refuse values the port accepts: MariaDB's `json` checks `JSON_VALID`, which
 * fails past 32 levels of nesting (core allows 64), and MySQL 8's sorts object keys. The adapter
 * writes and parses the JSON text itself, so `longtext` keeps it byte for byte; `JSON_VALUE` and
 * friends still work on it.
 */
function addColumn(t: Knex.CreateTableBuilder, column: SqlColumn, kind: DialectKind): void {
  const { name } = column;
  if (column.type === 'id') {
    if (kind === 'sqlite') t.increments(name);
    else t.bigIncrements(name);
    return;
  }
  const types: Record<Exclude<SqlColumn['type'], 'id'>, () => Knex.ColumnBuilder> = {
    timestamp: () =>
      kind === 'postgres'
        ? t.timestamp(name, { useTz: true, precision: 6 })
        : kind === 'mysql'
          ? t.datetime(name, { precision: 6 })
          : t.string(name, 27),
    key: () => t.string(name, 255),
    hash: () => t.string(name, 64),
    isoTime: () => t.string(name, 30),
    text: () => (kind === 'mysql' ? t.text(name, 'longtext') : t.text(name)),
    json: () =>
      kind === 'postgres'
        ? t.jsonb(name)
        : kind === 'mysql'
          ? t.text(name, 'longtext')
          : t.text(name),
    bigint: () => t.bigInteger(name),
  };
  const built = types[column.type]();
  if (column.nullable) built.nullable();
  else built.notNullable();
  if (column.defaultZero) built.defaultTo(0);
  if (column.primaryKey) built.primary();
}

function addIndex(t: Knex.CreateTableBuilder, index: SqlIndex): void {
  if (index.unique) t.unique(index.columns, { indexName: index.name });
  else t.index(index.columns, index.name);
}

/** Defines the log table and its indexes as the layout of `@eventlog/sql` describes them. */
async function defineTable(knex: Knex, tableName: string): Promise<void> {
  const kind = dialectKindOf(knex);
  const tableOptions = await tableOptionsOf(knex);
  await knex.schema.createTable(tableName, (t) => {
    tableOptions(t);
    for (const column of TABLE_COLUMNS) addColumn(t, column, kind);
    for (const index of tableIndexes(tableName)) addIndex(t, index);
  });
}

/** Defines the chain-heads table of `tableName`. */
async function defineHeads(knex: Knex, tableName: string): Promise<void> {
  const kind = dialectKindOf(knex);
  const tableOptions = await tableOptionsOf(knex);
  await knex.schema.createTable(chainHeadsTableName(tableName), (t) => {
    tableOptions(t);
    for (const column of HEAD_COLUMNS) addColumn(t, column, kind);
  });
}

/**
 * On MySQL, turns the text columns of a table created as `text` (65,535 bytes) into `longtext`;
 * a no-op elsewhere and on tables already wide. Widening keeps every stored value.
 */
async function widenText(knex: Knex, tableName: string): Promise<void> {
  if (dialectKindOf(knex) !== 'mysql') return;
  const names = TABLE_COLUMNS.filter((c) => c.type === 'text').map((c) => c.name);
  // A `database.table` name names its database; a bare one is in the connection's.
  const dot = tableName.indexOf('.');
  const [database, table] =
    dot < 0 ? [null, tableName] : [tableName.slice(0, dot), tableName.slice(dot + 1)];
  const [narrow] = (await knex.raw(
    `SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND DATA_TYPE <> 'longtext' AND COLUMN_NAME IN (${names.map(() => '?').join(', ')})`,
    [database, table, ...names],
  )) as [{ name: string }[]];
  if (narrow.length === 0) return;
  const wide = new Set(narrow.map((r) => r.name));
  await knex.schema.alterTable(tableName, (t) => {
    for (const column of TABLE_COLUMNS) {
      if (wide.has(column.name)) {
        const built = t.text(column.name, 'longtext');
        (column.nullable ? built.nullable() : built.notNullable()).alter();
      }
    }
  });
}

/**
 * Brings a table created by an earlier version up to date: the chain columns and the heads table
 * (added with tamper evidence), and MySQL's `longtext` text columns.
 */
async function upgrade(knex: Knex, tableName: string): Promise<void> {
  await widenText(knex, tableName);
  if (!(await knex.schema.hasColumn(tableName, 'hash'))) {
    const kind = dialectKindOf(knex);
    await knex.schema.alterTable(tableName, (t) => {
      for (const column of CHAIN_COLUMNS) addColumn(t, column, kind);
      addIndex(t, chainSeqIndex(tableName));
    });
  }
  if (!(await knex.schema.hasTable(chainHeadsTableName(tableName)))) {
    await defineHeads(knex, tableName);
  }
  await upgradeHistory(knex, tableName);
}

/** Defines the changed-keys table of `tableName`. */
async function defineChangedKeys(knex: Knex, tableName: string): Promise<void> {
  const kind = dialectKindOf(knex);
  const tableOptions = await tableOptionsOf(knex);
  await knex.schema.createTable(changedKeysTableName(tableName), (t) => {
    tableOptions(t);
    for (const column of CHANGED_KEY_COLUMNS) addColumn(t, column, kind);
    addIndex(t, changedKeyIndex(tableName));
  });
}

/**
 * Adds the history column, its index and the changed-keys table to a table created before they
 * existed, and indexes the changed keys of the entries already stored.
 */
async function upgradeHistory(knex: Knex, tableName: string): Promise<void> {
  if (!(await knex.schema.hasColumn(tableName, 'batch_id'))) {
    const kind = dialectKindOf(knex);
    await knex.schema.alterTable(tableName, (t) => {
      for (const column of HISTORY_COLUMNS) addColumn(t, column, kind);
      addIndex(t, batchIndex(tableName));
    });
  }
  if (!(await knex.schema.hasTable(changedKeysTableName(tableName)))) {
    await defineChangedKeys(knex, tableName);
    await knexStorage(knex, { tableName }).backfillChangedKeys();
  }
}

/**
 * Creates the event log table, its indexes and its chain-heads table unless they exist, and adds
 * the hash chain columns to a table created by an earlier version (idempotent: safe to call at
 * every start-up). The DDL runs in one transaction where the database allows it, so a failure
 * leaves no half-built table on PostgreSQL and SQLite. With `partitionBy: 'month'` (PostgreSQL),
 * the table is partitioned by month instead (see `createPartitionedTable` and `ensurePartitions`).
 *
 * It also creates the index that serves `search` (see `eventLogSearchMigration`): on PostgreSQL
 * that needs the `pg_trgm` extension, which it creates when the role may (the CREATE privilege
 * on the database); when it may not, it fails with a `ConfigurationError` saying what a
 * superuser must run. It creates `btree_gin` too when it may, for an index of tool and message;
 * without it the index covers the message alone.
 */
export async function createEventLogTable(
  knex: Knex,
  options: EventLogTableOptions & PartitionOptions = {},
): Promise<void> {
  const tableName = tableNameOf(options);
  if (options.partitionBy !== undefined) {
    await createPartitionedTable(knex, options);
    // An index on the partitioned table is created on every partition, present and future.
    return defineSearchIndex(knex, tableName);
  }
  await knex.transaction(async (trx) => {
    if (!(await trx.schema.hasTable(tableName))) await defineTable(trx, tableName);
    await upgrade(trx, tableName);
    await defineSearchIndex(trx, tableName);
  });
}

/**
 * The table as a knex migration, for projects that run `knex migrate`. In a migration file:
 * `export const { up, down } = eventLogMigration();`. `up` creates the table and its indexes
 * (the search index included, as `createEventLogTable` does) and its chain-heads table (failing
 * if they exist, like any migration); `down` drops them.
 */
export function eventLogMigration(options: EventLogTableOptions = {}): EventLogMigration {
  const tableName = tableNameOf(options);
  return {
    async up(knex) {
      await defineTable(knex, tableName);
      await defineHeads(knex, tableName);
      await defineChangedKeys(knex, tableName);
      await defineSearchIndex(knex, tableName);
    },
    async down(knex) {
      await removeSearchIndex(knex, tableName);
      await knex.schema.dropTableIfExists(changedKeysTableName(tableName));
      await knex.schema.dropTableIfExists(chainHeadsTableName(tableName));
      await knex.schema.dropTableIfExists(tableName);
    },
  };
}

/**
 * For MySQL/MariaDB tables created by an earlier `eventLogMigration()`, whose `message`,
 * `template` and `actor_label` are `text` (65,535 bytes): `up` makes them `longtext`, keeping
 * every stored value (a no-op on other databases and on tables already wide). `down` leaves them
 * wide: narrowing could cut stored messages.
 */
export function eventLogLongTextMigration(options: EventLogTableOptions = {}): EventLogMigration {
  const tableName = tableNameOf(options);
  return {
    up: (knex) => widenText(knex, tableName),
    async down() {},
  };
}

/**
 * For tables created by `eventLogMigration()` before history existed: `up` adds the `batch_id`
 * column and its index and the changed-keys table, filled from the stored entries; `down`
 * removes them.
 */
export function eventLogHistoryMigration(options: EventLogTableOptions = {}): EventLogMigration {
  const tableName = tableNameOf(options);
  return {
    up: (knex) => upgradeHistory(knex, tableName),
    async down(knex) {
      await knex.schema.dropTableIfExists(changedKeysTableName(tableName));
      await knex.schema.alterTable(tableName, (t) => {
        t.dropIndex(batchIndex(tableName).columns, batchIndex(tableName).name);
        t.dropColumns(...HISTORY_COLUMNS.map((c) => c.name));
      });
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
        t.dropUnique(['chain', 'seq'], chainSeqIndex(tableName).name);
        t.dropColumns(...CHAIN_COLUMNS.map((c) => c.name));
      });
    },
  };
}
