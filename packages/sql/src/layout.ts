/**
 * The table layout every SQL storage writes and reads, as data: each adapter renders it with its
 * own schema tools (knex's schema builder, Sequelize's query interface), so both create the same
 * columns, types and index names, and either reads what the other wrote.
 */

import { ConfigurationError } from '@eventlog/core';

/** The table name used when none is given. */
export const DEFAULT_TABLE_NAME = 'eventlog';

/**
 * What a column holds; each adapter maps it to its types per dialect:
 * - `id`: the generated key (PostgreSQL/MySQL `bigint` serial, SQLite `integer` autoincrement);
 * - `timestamp`: PostgreSQL `timestamptz(6)`, MySQL `datetime(6)` (UTC wall time), SQLite the
 *   fixed-width text key `YYYY-MM-DDTHH:MM:SS.ffffffZ` (`varchar(27)`);
 * - `key`: `varchar(255)`; `hash`: `varchar(64)`; `isoTime`: `varchar(30)`, ISO 8601 text;
 * - `text`: unbounded text (MySQL `longtext`: its `text` holds 65,535 bytes); `json`: PostgreSQL
 *   `jsonb`, MySQL `longtext`, SQLite `text`;
 * - `bigint`: a 64-bit integer.
 */
export type ColumnType =
  | 'id'
  | 'timestamp'
  | 'key'
  | 'hash'
  | 'isoTime'
  | 'text'
  | 'json'
  | 'bigint';

/** One column of the layout. */
export interface SqlColumn {
  name: string;
  type: ColumnType;
  nullable: boolean;
  /** The primary key (with `id` it is also generated). */
  primaryKey?: true;
  /** A default of 0 (the heads' sequence numbers). */
  defaultZero?: true;
}

const column = (name: string, type: ColumnType, nullable = true): SqlColumn => ({
  name,
  type,
  nullable,
});

/** The entry columns an insert writes, in statement order (everything but the generated `id`). */
export const ENTRY_COLUMNS: readonly SqlColumn[] = [
  column('timestamp', 'timestamp', false),
  column('actor_id', 'key'),
  column('actor_label', 'text'),
  column('message', 'text', false),
  column('template', 'text'),
  column('values', 'json'),
  column('tool', 'key', false),
  column('action', 'key', false),
  column('object_type', 'key'),
  column('object_id', 'key'),
  column('changes', 'json'),
  column('metadata', 'json'),
  column('event_id', 'key'),
];

/**
 * The hash chain columns, all null when integrity is off. Tables created before they existed
 * keep working while integrity is off; `createEventLogTable` adds them.
 */
export const CHAIN_COLUMNS: readonly SqlColumn[] = [
  column('chain', 'key'),
  column('seq', 'bigint'),
  column('prev_hash', 'hash'),
  column('hash', 'hash'),
];

/**
 * The history columns: `batch_id` groups the entries of one action. Tables created before it
 * existed get it from `createEventLogTable` or the adapters' history migration.
 */
export const HISTORY_COLUMNS: readonly SqlColumn[] = [column('batch_id', 'key')];

/** Every column of the log table, in table order. */
export const TABLE_COLUMNS: readonly SqlColumn[] = [
  { name: 'id', type: 'id', nullable: false, primaryKey: true },
  ...ENTRY_COLUMNS,
  ...CHAIN_COLUMNS,
  ...HISTORY_COLUMNS,
];

/**
 * The chain-heads table, one row per partition: the last entry (`seq`, `hash`), where
 * verification starts after a purge (`start_seq`, `start_hash`) and the latest checkpoint
 * (`checkpoint_at` as ISO 8601 text: the same in every dialect, and exactly what was signed).
 * Appends lock their partition's row.
 */
export const HEAD_COLUMNS: readonly SqlColumn[] = [
  { name: 'chain', type: 'key', nullable: false, primaryKey: true },
  { name: 'seq', type: 'bigint', nullable: false, defaultZero: true },
  column('hash', 'hash', false),
  { name: 'start_seq', type: 'bigint', nullable: false, defaultZero: true },
  column('start_hash', 'hash', false),
  column('checkpoint_seq', 'bigint'),
  column('checkpoint_hash', 'hash'),
  column('checkpoint_at', 'isoTime'),
];

/** One index of the log table; `columns` in order. */
export interface SqlIndex {
  name: string;
  columns: string[];
  unique: boolean;
}

/** `<table>_<suffix>`, cut to the 63 characters of a PostgreSQL identifier. */
export const indexName = (table: string, suffix: string) =>
  `${table.replace(/\W/g, '_')}_${suffix}`.slice(0, 63);

/** Unique `(chain, seq)`: a forked chain fails to commit instead of being stored. */
export const chainSeqIndex = (table: string): SqlIndex => ({
  name: indexName(table, 'chain_seq_key'),
  columns: ['chain', 'seq'],
  unique: true,
});

/** `(batch_id, timestamp, id)`: the entries of one batch, in keyset order. */
export const batchIndex = (table: string): SqlIndex => ({
  name: indexName(table, 'batch_idx'),
  columns: ['batch_id', 'timestamp', 'id'],
  unique: false,
});

/**
 * The indexes: `event_id` unique (idempotency), one per list route, each ending in
 * `(timestamp, id)` so keyset pages are index range scans, `chainSeqIndex` and `batchIndex`.
 */
export function tableIndexes(table: string): SqlIndex[] {
  const index = (suffix: string, columns: string[]): SqlIndex => ({
    name: indexName(table, suffix),
    columns,
    unique: false,
  });
  return [
    { name: indexName(table, 'event_id_key'), columns: ['event_id'], unique: true },
    index('object_idx', ['object_type', 'object_id', 'timestamp', 'id']),
    index('tool_idx', ['tool', 'timestamp', 'id']),
    index('actor_idx', ['actor_id', 'timestamp', 'id']),
    index('timestamp_idx', ['timestamp', 'id']),
    chainSeqIndex(table),
    batchIndex(table),
  ];
}

/**
 * The changed-keys table: one row per entry and top-level key its `changes` touch, with the
 * entry's timestamp, so `list({ changedKey })` walks `(changed_key, entry_ts, entry_id)` in
 * keyset order instead of scanning JSON. Written in the same transaction as the entries.
 */
export const CHANGED_KEY_COLUMNS: readonly SqlColumn[] = [
  column('entry_id', 'bigint', false),
  column('changed_key', 'key', false),
  column('entry_ts', 'timestamp', false),
];

/** The changed-keys table that goes with `table`. */
export const changedKeysTableName = (table: string): string => `${table}_changed_keys`;

/** The index of the changed-keys table: a key, then keyset order. */
export const changedKeyIndex = (table: string): SqlIndex => ({
  name: indexName(table, 'changed_key_idx'),
  columns: ['changed_key', 'entry_ts', 'entry_id'],
  unique: false,
});

/** The table of chain heads that goes with `table`. */
export const chainHeadsTableName = (table: string): string => `${table}_chain_heads`;

/**
 * The table name of `options`, checked: a `?` is a placeholder to knex anywhere in a statement,
 * even inside a quoted name, and a `$` followed by digits is one to Sequelize.
 */
export function tableNameOf(options: { tableName?: string | undefined }): string {
  const name = options.tableName ?? DEFAULT_TABLE_NAME;
  if (typeof name !== 'string' || name.length === 0 || /[?\0]|\$\d/.test(name)) {
    throw new ConfigurationError(
      `tableName must be a non-empty string without "?", "$<digit>" or NUL, got ${JSON.stringify(name)}`,
    );
  }
  return name;
}
