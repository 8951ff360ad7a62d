import type {
  ChainedEntry,
  ChainHead,
  Changes,
  EventLog,
  JsonObject,
  NewEventLog,
} from '@eventlog/core';
import type { SqlDialect } from './dialect';

/** One column value as bound: text, a number (`seq`) or null. */
export type SqlValue = string | number | null;

/**
 * A row to insert, keyed by column name: `ENTRY_COLUMNS` and `HISTORY_COLUMNS`, and
 * `CHAIN_COLUMNS` when chained.
 */
export type NewSqlRow = Record<string, SqlValue>;

/**
 * A row as every read selects it: the table's columns by name (the chain columns absent from a
 * table created before them) and `ts_key`, the stored timestamp at full precision.
 */
export interface SqlRow {
  id: number | string | bigint;
  ts_key: string;
  [column: string]: unknown;
}

/**
 * JSON as bound: text on every dialect (pg would turn a top-level array into a PostgreSQL array,
 * and SQLite has no JSON type at all); null stays NULL.
 */
export const toJsonText = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);

/** True when any of `entries` has a batch: then every row of the insert writes `batch_id`. */
export const anyBatched = (entries: readonly { batchId: string | null }[]): boolean =>
  entries.some((e) => e.batchId != null);

/**
 * The row of an entry; the timestamp encoded for the dialect. `batch_id` is written only when
 * `batched` (every row of one statement must have the same columns: see `anyBatched`), so a
 * table created before the history columns keeps taking entries without a batch.
 */
export function toRow(entry: NewEventLog, dialect: SqlDialect, batched: boolean): NewSqlRow {
  const row: NewSqlRow = {
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
  if (batched) row.batch_id = entry.batchId ?? null;
  return row;
}

/** The row of an entry linked into its chain: the plain row plus the chain columns. */
export function toChainedRow(
  entry: ChainedEntry,
  dialect: SqlDialect,
  batched: boolean,
): NewSqlRow {
  const row = toRow(entry, dialect, batched);
  row.chain = entry.chain;
  row.seq = entry.seq;
  row.prev_hash = entry.prevHash;
  row.hash = entry.hash;
  return row;
}

// PostgreSQL's jsonb arrives parsed; SQLite's text (and MySQL's longtext) as a string.
// JSON.parse makes `__proto__` an own key, never a prototype.
function fromJson<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

const textOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

/** Maps a row read back to the entry every storage returns. */
export function fromRow(row: SqlRow): EventLog {
  return {
    id: String(row.id),
    timestamp: new Date(row.ts_key),
    actorId: textOrNull(row.actor_id),
    actorLabel: textOrNull(row.actor_label),
    message: String(row.message),
    template: textOrNull(row.template),
    values: fromJson<JsonObject>(row.values),
    tool: String(row.tool),
    action: String(row.action),
    objectType: textOrNull(row.object_type),
    objectId: textOrNull(row.object_id),
    changes: fromJson<Changes>(row.changes),
    metadata: fromJson<JsonObject>(row.metadata),
    eventId: textOrNull(row.event_id),
    batchId: textOrNull(row.batch_id),
    chain: textOrNull(row.chain),
    // PostgreSQL returns bigint as text.
    seq: row.seq === null || row.seq === undefined ? null : Number(row.seq),
    prevHash: textOrNull(row.prev_hash),
    hash: textOrNull(row.hash),
  };
}

/**
 * The entry just written as `row` under `id`, without reading it back. The JSON fields are the
 * entry's own objects, not a parse of the text just stored: the port takes JSON values only (see
 * `EventLogStorage.insert`), so they equal what a read parses.
 */
export function insertedEntry(id: string, entry: NewEventLog, row: NewSqlRow): EventLog {
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
    batchId: entry.batchId ?? null,
    chain: (row.chain as string | undefined) ?? null,
    seq: row.seq === undefined || row.seq === null ? null : Number(row.seq),
    prevHash: (row.prev_hash as string | undefined) ?? null,
    hash: (row.hash as string | undefined) ?? null,
  };
}

/** The head of a chain-heads row; PostgreSQL returns its bigints as text. */
export function chainHeadFromRow(row: Record<string, unknown>): ChainHead {
  const at = row.checkpoint_at;
  return {
    chain: String(row.chain),
    seq: Number(row.seq),
    hash: String(row.hash),
    start: { seq: Number(row.start_seq), hash: String(row.start_hash) },
    checkpoint:
      row.checkpoint_seq === null || row.checkpoint_hash === null || at === null
        ? null
        : {
            seq: Number(row.checkpoint_seq),
            hash: String(row.checkpoint_hash),
            at: new Date(String(at)),
          },
  };
}
