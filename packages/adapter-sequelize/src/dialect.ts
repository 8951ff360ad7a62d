import { ConfigurationError, toTimestampKey } from '@eventlog/core';
import type { Sequelize } from 'sequelize';

/** The SQL families this adapter supports. */
export type DialectKind = 'postgres' | 'sqlite';

/** What the storage needs to know about one SQL family; each member differs only where the databases do. */
export interface Dialect {
  readonly kind: DialectKind;
  /** The value bound for a timestamp column or filter. */
  encodeTimestamp(date: Date, field: string): string;
  /** SELECT expression giving the stored timestamp at full precision as `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  readonly timestampKey: string;
  /** SQL for a bound timestamp (`$n`), cast to the column type. */
  timestampParam(param: string): string;
  /** SQL for a bound id (`$n`), cast to the column type. */
  idParam(param: string): string;
  /** Case-insensitive LIKE operator. */
  readonly ilike: string;
}

const postgres: Dialect = {
  kind: 'postgres',
  // Validated like SQLite's so both dialects refuse the same dates; bound as UTC text, so the
  // session time zone cannot shift it.
  encodeTimestamp: toTimestampKey,
  timestampKey: `to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  timestampParam: (p) => `CAST(${p} AS timestamptz)`,
  idParam: (p) => `CAST(${p} AS bigint)`,
  ilike: 'ILIKE',
};

const sqlite: Dialect = {
  kind: 'sqlite',
  encodeTimestamp: toTimestampKey,
  timestampKey: '"timestamp"',
  timestampParam: (p) => p,
  idParam: (p) => `CAST(${p} AS INTEGER)`,
  // SQLite's LIKE is case-insensitive for ASCII already.
  ilike: 'LIKE',
};

/** The dialect of a Sequelize instance; other databases are a `ConfigurationError`. */
export function dialectOf(sequelize: Sequelize): Dialect {
  const name = sequelize.getDialect();
  if (name === 'postgres') return postgres;
  if (name === 'sqlite') return sqlite;
  throw new ConfigurationError(
    `@eventlog/adapter-sequelize supports PostgreSQL and SQLite, not the Sequelize dialect "${name}"`,
  );
}

/** Quotes an identifier for PostgreSQL and SQLite alike (double quotes, doubled inside). */
export const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
