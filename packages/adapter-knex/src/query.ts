import { likePattern, readSqlCursor, type StorageQuery } from '@eventlog/core';
import type { Knex } from 'knex';
import type { Dialect } from './dialect';

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
  const [ts, id] = readSqlCursor(cursor, order);
  const op = order === 'desc' ? '<' : '>';
  return builder.whereRaw(`(??, ??) ${op} (${dialect.keyPlaceholders})`, [
    'timestamp',
    'id',
    dialect.bindTimestampKey(ts),
    id,
  ]);
}
