import { ConfigurationError, ValidationError } from '@eventlog/core';
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

/** A full-precision timestamp key, the text form every dialect's `timestampKey` produces. */
export const TIMESTAMP_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/**
 * ISO-8601 with microseconds and a fixed width, so text order is time order; the same text the
 * knex adapter stores on SQLite, so either adapter reads what the other wrote. A JS Date has
 * milliseconds only; the three extra digits keep rows written by other tools at full precision.
 */
export function toTimestampKey(date: Date, field: string): string {
  const time = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw ValidationError.field(field, 'is not a valid date');
  const iso = date.toISOString();
  if (iso.length !== 24) throw ValidationError.field(field, 'must be within years 0000-9999');
  return `${iso.slice(0, 23)}000Z`;
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
