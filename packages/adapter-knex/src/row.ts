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

/** One table row as the drivers return it (the layout core describes, plus id and timestamp). */
export interface EventLogRow extends SqlEntryColumns {
  id: number | string | bigint;
  timestamp: unknown;
  /** The timestamp at full precision, selected by reads for the cursor. */
  ts_key?: string;
}

/** A row to insert: every column but the generated id. */
export type NewEventLogRow = Omit<EventLogRow, 'id' | 'ts_key'>;

/** Maps an entry to its row; timestamps are encoded for the dialect. */
export function toRow(entry: NewEventLog, dialect: Dialect): NewEventLogRow {
  return {
    timestamp: dialect.encodeTimestamp(entry.timestamp, 'timestamp'),
    actor_id: entry.actorId ?? null,
    actor_label: entry.actorLabel ?? null,
    message: entry.message,
    template: entry.template ?? null,
    values: toJsonText(entry.values),
    tool: entry.tool,
    action: entry.action,
    object_type: entry.objectType ?? null,
    object_id: entry.objectId ?? null,
    changes: toJsonText(entry.changes),
    metadata: toJsonText(entry.metadata),
    event_id: entry.eventId ?? null,
  };
}

/** The row of an entry linked into its chain: the plain row plus the chain columns. */
export function toChainedRow(entry: ChainedEntry, dialect: Dialect): NewEventLogRow {
  return {
    ...toRow(entry, dialect),
    chain: entry.chain,
    seq: entry.seq,
    prev_hash: entry.prevHash,
    hash: entry.hash,
  };
}

function toDate(row: EventLogRow): Date {
  if (typeof row.ts_key === 'string') return new Date(row.ts_key);
  if (row.timestamp instanceof Date) return new Date(row.timestamp.getTime());
  return new Date(String(row.timestamp));
}

/** Maps a stored row to the entry every storage returns. */
export function fromRow(row: EventLogRow): EventLog {
  return sqlRowToEntry(row, String(row.id), toDate(row), parseJsonColumns(row));
}

/**
 * The entry just written as `row` with this `id`, without reading it back. The JSON fields are the
 * entry's own objects, not a parse of the text just stored: the port takes JSON values only (see
 * `EventLogStorage.insert`), so they equal what a read parses, and re-parsing was the largest
 * per-row cost left on the `log()` path (bench/RESULTS.md, knex).
 */
export function insertedEntry(id: string, entry: NewEventLog, row: NewEventLogRow): EventLog {
  return sqlRowToEntry(row, id, new Date(entry.timestamp.getTime()), entry);
}
