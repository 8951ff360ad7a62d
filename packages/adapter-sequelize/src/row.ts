import {
  type ChainedEntry,
  type EventLog,
  type NewEventLog,
  parseJsonColumns,
  type SqlEntryColumns,
  sqlRowToEntry,
  toJsonText,
} from '@eventlog/core';
import type { Dialect } from './dialect';

/** One row as a read query returns it (the layout core describes; the timestamp as its full-precision key). */
export interface EventLogRow extends SqlEntryColumns {
  id: number | string;
  ts_key: string;
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

/** One entry's column values, in `INSERT_COLUMNS` order: text or null, JSON serialised. */
export function toRowValues(entry: NewEventLog, dialect: Dialect): RowValue[] {
  return [
    dialect.encodeTimestamp(entry.timestamp, 'timestamp'),
    entry.actorId ?? null,
    entry.actorLabel ?? null,
    entry.message,
    entry.template ?? null,
    toJsonText(entry.values),
    entry.tool,
    entry.action,
    entry.objectType ?? null,
    entry.objectId ?? null,
    toJsonText(entry.changes),
    toJsonText(entry.metadata),
    entry.eventId ?? null,
  ];
}

/** A chained entry's column values: `INSERT_COLUMNS` then `CHAIN_COLUMNS`. */
export function toChainedRowValues(entry: ChainedEntry, dialect: Dialect): RowValue[] {
  return [...toRowValues(entry, dialect), entry.chain, entry.seq, entry.prevHash, entry.hash];
}

/** Maps a stored row to the entry every storage returns. */
export function fromRow(row: EventLogRow): EventLog {
  return sqlRowToEntry(row, String(row.id), new Date(row.ts_key), parseJsonColumns(row));
}

/**
 * The entry as stored, built from what was written rather than read back. The JSON fields are the
 * entry's own objects: the port takes JSON values only (see `EventLogStorage.insert`), so they
 * equal what a later read parses.
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
    values: entry.values ?? null,
    tool: entry.tool,
    action: entry.action,
    objectType: entry.objectType ?? null,
    objectId: entry.objectId ?? null,
    changes: entry.changes ?? null,
    metadata: entry.metadata ?? null,
    eventId: entry.eventId ?? null,
    chain: chained ? (values[13] as string) : null,
    seq: chained ? Number(values[14]) : null,
    prevHash: chained ? (values[15] as string) : null,
    hash: chained ? (values[16] as string) : null,
  };
}
