import { likePattern, readSqlCursor, type StorageQuery } from '@eventlog/core';
import type { Dialect } from './dialect';

/** Bind parameters of one statement; `add` returns the `$n` placeholder of the value. */
export class Binds {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  list(values: readonly unknown[]): string {
    return values.map((v) => this.add(v)).join(', ');
  }
}

/** The WHERE conditions of every filter of `query` (not cursor, offset, order or limit). */
export function filterConditions(query: StorageQuery, dialect: Dialect, binds: Binds): string[] {
  const where: string[] = [];
  if (query.tool) where.push(`"tool" IN (${binds.list(query.tool)})`);
  if (query.action) where.push(`"action" IN (${binds.list(query.action)})`);
  if (query.actorId !== undefined) where.push(`"actor_id" = ${binds.add(query.actorId)}`);
  if (query.objectType !== undefined) where.push(`"object_type" = ${binds.add(query.objectType)}`);
  if (query.objectId !== undefined) where.push(`"object_id" = ${binds.add(query.objectId)}`);
  if (query.from) {
    const from = binds.add(dialect.encodeTimestamp(query.from, 'from'));
    where.push(`"timestamp" >= ${dialect.timestampParam(from)}`);
  }
  if (query.to) {
    const to = binds.add(dialect.encodeTimestamp(query.to, 'to'));
    where.push(`"timestamp" < ${dialect.timestampParam(to)}`);
  }
  if (query.search !== undefined) {
    where.push(`"message" ${dialect.ilike} ${binds.add(likePattern(query.search))} ESCAPE '!'`);
  }
  return where;
}

/**
 * The keyset condition as a row comparison, which PostgreSQL and SQLite (3.15+) serve from the
 * `(…, timestamp, id)` indexes; the `ts < ? OR (ts = ? AND id < ?)` form scans like OFFSET.
 * The cursor's timestamp is the stored text at full precision (microseconds on PostgreSQL).
 */
export function cursorCondition(
  cursor: string,
  order: 'asc' | 'desc',
  dialect: Dialect,
  binds: Binds,
): string {
  const [ts, id] = readSqlCursor(cursor, order);
  const op = order === 'desc' ? '<' : '>';
  const tsParam = dialect.timestampParam(binds.add(ts));
  const idParam = dialect.idParam(binds.add(id));
  return `("timestamp", "id") ${op} (${tsParam}, ${idParam})`;
}

/** ` WHERE a AND b`, or nothing. */
export const whereClause = (conditions: string[]): string =>
  conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
