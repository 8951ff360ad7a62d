import {
  type Changes,
  type EventLog,
  type JsonObject,
  type NewEventLog,
  UNCHAINED,
} from '@eventlog/core';
import { type Dialect, quote } from './dialect';

/** One row as a read query returns it (snake_case columns; the timestamp as its full-precision key). */
export interface EventLogRow {
  id: number | string;
  ts_key: string;
  actor_id: string | null;
  actor_label: string | null;
  message: string;
  template: string | null;
  values: unknown;
  tool: string;
  action: string;
  object_type: string | null;
  object_id: string | null;
  changes: unknown;
  metadata: unknown;
  event_id: string | null;
}

/** The columns an insert writes, in the order `toRowValues` gives them. */
export const INSERT_COLUMNS = [
  'timestamp',
  'actor_id',
  'actor_label',
  'message',
  'template',
  'values',
  'tool',
  'action',
  'object_type',
  'object_id',
  'changes',
  'metadata',
  'event_id',
] as const;

/** The SELECT list of every read: all columns, the timestamp as its text key for the cursor. */
export function selectList(dialect: Dialect): string {
  const columns = INSERT_COLUMNS.filter((c) => c !== 'timestamp').map(quote);
  return ['"id"', `${dialect.timestampKey} AS "ts_key"`, ...columns].join(', ');
}

// Serialised by hand on both dialects: pg would turn a top-level array into a PostgreSQL array,
// and SQLite has no JSON type at all.
const toJson = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);

/** One entry's column values, in `INSERT_COLUMNS` order: text or null, JSON serialised. */
export function toRowValues(entry: NewEventLog, dialect: Dialect): (string | null)[] {
  return [
    dialect.encodeTimestamp(entry.timestamp, 'timestamp'),
    entry.actorId ?? null,
    entry.actorLabel ?? null,
    entry.message,
    entry.template ?? null,
    toJson(entry.values),
    entry.tool,
    entry.action,
    entry.objectType ?? null,
    entry.objectId ?? null,
    toJson(entry.changes),
    toJson(entry.metadata),
    entry.eventId ?? null,
  ];
}

// PostgreSQL's jsonb arrives parsed; SQLite's text as a string. JSON.parse makes `__proto__` an
// own key, never a prototype.
function fromJson<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Maps a stored row to the entry every storage returns. */
export function fromRow(row: EventLogRow): EventLog {
  return {
    id: String(row.id),
    timestamp: new Date(row.ts_key),
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    message: row.message,
    template: row.template,
    values: fromJson<JsonObject>(row.values),
    tool: row.tool,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    changes: fromJson<Changes>(row.changes),
    metadata: fromJson<JsonObject>(row.metadata),
    eventId: row.event_id,
    // Tamper evidence (chain, seq, prevHash, hash) is not implemented by this adapter yet.
    ...UNCHAINED,
  };
}

/**
 * The entry as stored, built from what was written rather than read back: JSON goes through the
 * same serialisation the row got, so the result equals what a later read returns.
 */
export function storedEntry(id: string, values: (string | null)[], entry: NewEventLog): EventLog {
  return {
    id,
    timestamp: new Date(entry.timestamp.getTime()),
    actorId: entry.actorId ?? null,
    actorLabel: entry.actorLabel ?? null,
    message: entry.message,
    template: entry.template ?? null,
    values: fromJson<JsonObject>(values[5]),
    tool: entry.tool,
    action: entry.action,
    objectType: entry.objectType ?? null,
    objectId: entry.objectId ?? null,
    changes: fromJson<Changes>(values[10]),
    metadata: fromJson<JsonObject>(values[11]),
    eventId: entry.eventId ?? null,
    // Tamper evidence (chain, seq, prevHash, hash) is not implemented by this adapter yet.
    ...UNCHAINED,
  };
}
