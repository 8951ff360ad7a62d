import { ConfigurationError } from '@eventlog/core';
import { toTimestampKey } from '@eventlog/core/storage';

/** The SQL families eventlog speaks. */
export type DialectKind = 'postgres' | 'sqlite' | 'mysql';

/** What differs between the SQL families; everything else in the statements is shared. */
export interface SqlDialect {
  readonly kind: DialectKind;
  /** Quotes an identifier (`"name"`, MySQL `` `name` ``), doubling the quote inside. */
  quote(name: string): string;
  /**
   * `UPDATE ... RETURNING` exists (PostgreSQL, SQLite 3.35+): the locking write also reads the
   * head. MySQL has none; MariaDB has `INSERT ... RETURNING` only, which the adapters' insert
   * paths detect themselves.
   */
  readonly returning: boolean;
  /**
   * The text bound for a timestamp column or filter: the fixed-width UTC key, on MySQL as UTC
   * wall time (`YYYY-MM-DD HH:MM:SS.ffffff`, so the driver's time zone cannot shift it).
   *
   * @throws ValidationError on `field` for an invalid date or one outside years 0000-9999.
   */
  encodeTimestamp(date: Date, field: string): string;
  /** The cursor's timestamp key as bound into `timestampParam`. */
  bindTimestampKey(key: string): string;
  /** SELECT expression giving the stored timestamp at full precision as `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  readonly timestampKey: string;
  /** A bound timestamp (`p` is its placeholder), cast to the column type. */
  timestampParam(p: string): string;
  /** A bound id, cast to the column type. */
  idParam(p: string): string;
  /**
   * Case-insensitive `LIKE` of `column` against a pattern escaped with `!`: the column's own
   * comparison may be exact (MySQL tables are binary-collated).
   */
  search(column: string, p: string): string;
}

const doubleQuote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

const postgres: SqlDialect = {
  kind: 'postgres',
  quote: doubleQuote,
  returning: true,
  encodeTimestamp: toTimestampKey,
  bindTimestampKey: (key) => key,
  timestampKey: `to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  timestampParam: (p) => `CAST(${p} AS timestamptz)`,
  idParam: (p) => `CAST(${p} AS bigint)`,
  search: (column, p) => `${column} ILIKE ${p} ESCAPE '!'`,
};

const sqlite: SqlDialect = {
  kind: 'sqlite',
  quote: doubleQuote,
  returning: true,
  encodeTimestamp: toTimestampKey,
  bindTimestampKey: (key) => key,
  timestampKey: '"timestamp"',
  timestampParam: (p) => p,
  idParam: (p) => `CAST(${p} AS INTEGER)`,
  // SQLite's LIKE is case-insensitive for ASCII already.
  search: (column, p) => `${column} LIKE ${p} ESCAPE '!'`,
};

const toWallTime = (key: string) => key.slice(0, 26).replace('T', ' ');

const mysql: SqlDialect = {
  kind: 'mysql',
  quote: (name) => `\`${name.replace(/`/g, '``')}\``,
  returning: false,
  encodeTimestamp: (date, field) => toWallTime(toTimestampKey(date, field)),
  bindTimestampKey: toWallTime,
  timestampKey: "DATE_FORMAT(`timestamp`, '%Y-%m-%dT%H:%i:%s.%fZ')",
  timestampParam: (p) => `CAST(${p} AS DATETIME(6))`,
  idParam: (p) => `CAST(${p} AS UNSIGNED)`,
  // LOWER() rather than a `_ci` collation, which would also equate accented letters (é = e).
  search: (column, p) => `LOWER(${column}) LIKE LOWER(${p}) ESCAPE '!'`,
};

const DIALECTS: Record<DialectKind, SqlDialect> = { postgres, sqlite, mysql };

/**
 * The dialect of a driver or ORM dialect name (`pg`, `postgres`, `sqlite3`, `better-sqlite3`,
 * `mysql2`, `mariadb`...).
 *
 * @throws ConfigurationError naming `adapter` for any other database.
 */
export function sqlDialect(name: string | undefined, adapter: string): SqlDialect {
  switch (name) {
    case 'postgresql':
    case 'postgres':
    case 'pg':
    case 'pgnative':
      return DIALECTS.postgres;
    case 'sqlite':
    case 'sqlite3':
    case 'better-sqlite3':
      return DIALECTS.sqlite;
    case 'mysql':
    case 'mysql2':
    case 'mariadb':
      return DIALECTS.mysql;
    default:
      throw new ConfigurationError(
        `${adapter} supports PostgreSQL, SQLite and MySQL/MariaDB, not "${String(name)}"`,
      );
  }
}
