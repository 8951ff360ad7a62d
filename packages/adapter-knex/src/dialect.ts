import { ConfigurationError, toTimestampKey } from '@eventlog/core';
import type { Knex } from 'knex';

/** The SQL families the adapter knows; each row below differs only where the databases do. */
export type DialectKind = 'postgres' | 'sqlite' | 'mysql';

/** What the storage needs to know about one SQL family. */
export interface Dialect {
  readonly kind: DialectKind;
  /**
   * Rows per INSERT statement. SQLite: knex compiles multi-row inserts to a compound SELECT,
   * limited to 500 terms. PostgreSQL: 65,535 bind parameters per statement (13 per row).
   */
  readonly chunkSize: number;
  /** `INSERT ... RETURNING` and `UPDATE ... RETURNING` are available. */
  readonly returning: boolean;
  /** The value bound for a timestamp column or filter. */
  encodeTimestamp(date: Date, field: string): Date | string;
  /** SELECT expression giving the stored timestamp at full precision as `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  timestampKey(knex: Knex): Knex.Raw;
  /** SQL for a cursor's timestamp and id placeholders, cast to the column types. */
  readonly keyPlaceholders: string;
  /** The cursor's timestamp key as bound into `keyPlaceholders`. */
  bindTimestampKey(key: string): string;
  /**
   * Case-insensitive `LIKE` of a column (`??`) against a pattern (`?`) escaped with `!`: the
   * column's own comparison may be exact (MySQL tables are binary-collated, see schema.ts).
   */
  readonly search: string;
}

const postgres: Dialect = {
  kind: 'postgres',
  chunkSize: 2000,
  returning: true,
  encodeTimestamp(date, field) {
    toTimestampKey(date, field);
    return date;
  },
  timestampKey: (knex) =>
    knex.raw(`to_char(?? AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, ['timestamp']),
  keyPlaceholders: 'CAST(? AS timestamptz), CAST(? AS bigint)',
  bindTimestampKey: (key) => key,
  search: `?? ILIKE ? ESCAPE '!'`,
};

const sqlite: Dialect = {
  kind: 'sqlite',
  chunkSize: 500,
  returning: true,
  encodeTimestamp: toTimestampKey,
  timestampKey: (knex) => knex.raw('??', ['timestamp']),
  keyPlaceholders: '?, CAST(? AS INTEGER)',
  bindTimestampKey: (key) => key,
  // SQLite's LIKE is case-insensitive for ASCII already.
  search: `?? LIKE ? ESCAPE '!'`,
};

// Stored as UTC wall time in DATETIME(6) and bound as text, so the driver's timezone setting
// cannot shift it.
const toMysql = (key: string) => key.slice(0, 26).replace('T', ' ');

const mysql: Dialect = {
  kind: 'mysql',
  chunkSize: 1000,
  returning: false,
  encodeTimestamp: (date, field) => toMysql(toTimestampKey(date, field)),
  timestampKey: (knex) => knex.raw(`DATE_FORMAT(??, '%Y-%m-%dT%H:%i:%s.%fZ')`, ['timestamp']),
  keyPlaceholders: 'CAST(? AS DATETIME(6)), CAST(? AS UNSIGNED)',
  bindTimestampKey: toMysql,
  // LOWER() rather than a `_ci` collation, which would also equate accented letters (é = e).
  search: `LOWER(??) LIKE LOWER(?) ESCAPE '!'`,
};

/** The dialect of a knex instance, from its client's `dialect` name. */
export function dialectOf(knex: Knex): Dialect {
  const name = knex.client.dialect ?? knex.client.config?.client;
  switch (name) {
    case 'postgresql':
    case 'postgres':
    case 'pg':
    case 'pgnative':
      return postgres;
    case 'sqlite3':
    case 'better-sqlite3':
      return sqlite;
    case 'mysql':
    case 'mysql2':
      return mysql;
    default:
      throw new ConfigurationError(
        `@eventlog/adapter-knex supports PostgreSQL, SQLite and MySQL/MariaDB, not the knex client "${String(name)}"`,
      );
  }
}
