import type { ChainedEntry, Changes, EventLog, JsonObject, NewEventLog } from '@eventlog/core';
import type { Dialect } from './dialect';

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
  /** Chain columns: absent from tables created before integrity, null on unchained rows. */
  chain?: string | null;
  seq?: number | string | null;
  prev_hash?: string | null;
  hash?: string | null;
}

/** One column value as bound: text, a number (`seq`) or null. */
export type RowValue = string | number | null;

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

/** The hash chain columns a chained insert writes after `INSERT_COLUMNS`, in `toChainedRowValues` order. */
export const CHAIN_COLUMNS = ['chain', 'seq', 'prev_hash', 'hash'] as const;

/**
 * The SELECT list of every read: all columns (`*`, so a table created before the chain columns
 * existed still reads, its entries unchained), and the timestamp as its text key for the cursor.
 */
export function selectList(dialect: Dialect): string {
  return `*, ${dialect.timestampKey} AS "ts_key"`;
}

// Serialised by hand on both dialects: pg would turn a top-level array into a PostgreSQL array,
// and SQLite has no JSON type at all.
const toJson = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);

/** One entry's column values, in `INSERT_COLUMNS` order: text or null, JSON serialised. */
export function toRowValues(entry: NewEventLog, dialect: Dialect): RowValue[] {
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

/** A chained entry's column values: `INSERT_COLUMNS` then `CHAIN_COLUMNS`. */
export function toChainedRowValues(entry: ChainedEntry, dialect: Dialect): RowValue[] {
  return [...toRowValues(entry, dialect), entry.chain, entry.seq, entry.prevHash, entry.hash];
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
    chain: row.chain ?? null,
    // PostgreSQL returns bigint as text.
    seq: row.seq === null || row.seq === undefined ? null : Number(row.seq),
    prevHash: row.prev_hash ?? null,
    hash: row.hash ?? null,
  };
}

/**
 * The entry as stored, built from what was written rather than read back: JSON goes through the
 * same serialisation the row got, so the result equals what a later read returns.
 */
export function storedEntry(id: string, values: RowValue[], entry: NewEventLog): EventLog {
  // Chained rows carry CHAIN_COLUMNS after the 13 plain ones.
  const chained = values.length > INSERT_COLUMNS.length;
  return {
    id,
    timestamp: new Date(entry.timestamp.getTime()),
    actorId: entry.actorId ?? null,
    actorLabel: entry.actorLabel ?? null,
    message: entry.message,
    template: entry.template ?? null,
    values: fromJson<JsonObject>(values[5] as string | null),
    tool: entry.tool,
    action: entry.action,
    objectType: entry.objectType ?? null,
    objectId: entry.objectId ?? null,
    changes: fromJson<Changes>(values[10] as string | null),
    metadata: fromJson<JsonObject>(values[11] as string | null),
    eventId: entry.eventId ?? null,
    chain: chained ? (values[13] as string) : null,
    seq: chained ? Number(values[14]) : null,
    prevHash: chained ? (values[15] as string) : null,
    hash: chained ? (values[16] as string) : null,
  };
}
