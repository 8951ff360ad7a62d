import type { ChainedEntry, Changes, EventLog, JsonObject, NewEventLog } from '@eventlog/core';
import type { Dialect } from './dialect';

/** One table row as the drivers return it; column names are snake_case. */
export interface EventLogRow {
  id: number | string | bigint;
  timestamp: unknown;
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
  seq?: number | string | bigint | null;
  prev_hash?: string | null;
  hash?: string | null;
  /** The timestamp at full precision, selected by reads for the cursor. */
  ts_key?: string;
}

/** A row to insert: every column but the generated id. */
export type NewEventLogRow = Omit<EventLogRow, 'id' | 'ts_key'>;

// Serialised by hand for every dialect: pg would turn a top-level array into a PostgreSQL array,
// and SQLite has no JSON type at all.
const toJson = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);

/** Maps an entry to its row; timestamps are encoded for the dialect. */
export function toRow(entry: NewEventLog, dialect: Dialect): NewEventLogRow {
  return {
    timestamp: dialect.encodeTimestamp(entry.timestamp, 'timestamp'),
    actor_id: entry.actorId ?? null,
    actor_label: entry.actorLabel ?? null,
    message: entry.message,
    template: entry.template ?? null,
    values: toJson(entry.values),
    tool: entry.tool,
    action: entry.action,
    object_type: entry.objectType ?? null,
    object_id: entry.objectId ?? null,
    changes: toJson(entry.changes),
    metadata: toJson(entry.metadata),
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

// PostgreSQL's jsonb arrives parsed; SQLite's text (and some MySQL drivers' JSON) as a string.
// JSON.parse makes `__proto__` an own key, never a prototype.
function fromJson<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function toDate(row: EventLogRow): Date {
  if (typeof row.ts_key === 'string') return new Date(row.ts_key);
  if (row.timestamp instanceof Date) return new Date(row.timestamp.getTime());
  return new Date(String(row.timestamp));
}

/** Maps a stored row to the entry every storage returns. */
export function fromRow(row: EventLogRow): EventLog {
  const json = {
    values: fromJson<JsonObject>(row.values),
    changes: fromJson<Changes>(row.changes),
    metadata: fromJson<JsonObject>(row.metadata),
  };
  return fromValues(String(row.id), toDate(row), row, json);
}

/**
 * The entry just written as `row` with this `id`, without reading it back. The JSON fields are the
 * entry's own objects, not a parse of the text just stored: the port takes JSON values only (see
 * `EventLogStorage.insert`), so they equal what a read parses, and re-parsing was the largest
 * per-row cost left on the `log()` path (bench/RESULTS.md, knex).
 */
export function insertedEntry(id: string, entry: NewEventLog, row: NewEventLogRow): EventLog {
  const json = { values: entry.values, changes: entry.changes, metadata: entry.metadata };
  return fromValues(id, new Date(entry.timestamp.getTime()), row, json);
}

/** The JSON fields of an entry, as objects. */
type JsonFields = Pick<EventLog, 'values' | 'changes' | 'metadata'>;

function fromValues(id: string, timestamp: Date, row: NewEventLogRow, json: JsonFields): EventLog {
  return {
    id,
    timestamp,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    message: row.message,
    template: row.template,
    values: json.values ?? null,
    tool: row.tool,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    changes: json.changes ?? null,
    metadata: json.metadata ?? null,
    eventId: row.event_id,
    chain: row.chain ?? null,
    // PostgreSQL returns bigint as text.
    seq: row.seq === null || row.seq === undefined ? null : Number(row.seq),
    prevHash: row.prev_hash ?? null,
    hash: row.hash ?? null,
  };
}
