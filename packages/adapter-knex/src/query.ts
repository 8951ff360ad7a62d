import { decodeCursor, encodeCursor, type StorageQuery, ValidationError } from '@eventlog/core';
import type { Knex } from 'knex';
import { type Dialect, TIMESTAMP_KEY } from './dialect';

/** A stored id: what a bigint / integer primary key can hold, as text. */
export const ID_PATTERN = /^[1-9]\d{0,18}$/;
const MAX_ID = 9_223_372_036_854_775_807n;

/** True when `id` could be a key of this table (a positive 64-bit integer in decimal). */
export const isStoredId = (id: string): boolean => ID_PATTERN.test(id) && BigInt(id) <= MAX_ID;

// `!` rather than `\` as the escape character: MySQL string literals treat `\` specially, and
// with an explicit ESCAPE PostgreSQL's default backslash escape no longer applies either.
const likePattern = (search: string) => `%${search.replace(/[!%_]/g, (c) => `!${c}`)}%`;

/** Adds every filter of `query` (not cursor, offset, order or limit) to `builder`. */
export function applyFilters(
  builder: Knex.QueryBuilder,
  query: StorageQuery,
  dialect: Dialect,
): Knex.QueryBuilder {
  if (query.tool) builder.whereIn('tool', query.tool);
  if (query.action) builder.whereIn('action', query.action);
  if (query.actorId !== undefined) builder.where('actor_id', query.actorId);
  if (query.objectType !== undefined) builder.where('object_type', query.objectType);
  if (query.objectId !== undefined) builder.where('object_id', query.objectId);
  if (query.from) builder.where('timestamp', '>=', dialect.encodeTimestamp(query.from, 'from'));
  if (query.to) builder.where('timestamp', '<', dialect.encodeTimestamp(query.to, 'to'));
  if (query.search !== undefined) {
    builder.whereRaw(dialect.search, ['message', likePattern(query.search)]);
  }
  return builder;
}

/** The `(timestamp, id)` key a cursor carries, validated so a forged one never reaches SQL. */
export function readCursor(cursor: string, order: 'asc' | 'desc'): [string, string] {
  const [ts, id] = decodeCursor(cursor, order, 2);
  if (ts === undefined || id === undefined || !TIMESTAMP_KEY.test(ts) || !isStoredId(id)) {
    throw ValidationError.field('cursor', 'is not a cursor returned by this API');
  }
  return [ts, id];
}

/**
 * Keyset condition as a row comparison, which PostgreSQL, SQLite (3.15+) and MySQL serve from the
 * `(…, timestamp, id)` indexes; the `ts < ? OR (ts = ? AND id < ?)` form scans like OFFSET.
 */
export function applyCursor(
  builder: Knex.QueryBuilder,
  cursor: string,
  order: 'asc' | 'desc',
  dialect: Dialect,
): Knex.QueryBuilder {
  const [ts, id] = readCursor(cursor, order);
  const op = order === 'desc' ? '<' : '>';
  return builder.whereRaw(`(??, ??) ${op} (${dialect.keyPlaceholders})`, [
    'timestamp',
    'id',
    dialect.bindTimestampKey(ts),
    id,
  ]);
}

/** The cursor resuming after `row`. */
export const cursorAfter = (order: 'asc' | 'desc', tsKey: string, id: string): string =>
  encodeCursor(order, [tsKey, id]);
