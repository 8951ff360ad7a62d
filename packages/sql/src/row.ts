import type { Changes, EventLog, JsonObject } from '@eventlog/core';
import type { ChainedEntry, ChainHead, NewEventLog } from '@eventlog/core/storage';
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
  if (typeof value === 'string') return JSON.parse(value) as T;
  return value === null || value === undefined ? null : (value as T);
}

const textOrNull = (value: unknown): string | null =>
  typeof value === 'string' ? value : value === null || value === undefined ? null : String(value);

/** The columns an entry is read from, as every read selects them (`SqlRow`). */
const ENTRY_COLUMNS = [
  'id',
  'ts_key',
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
  'batch_id',
  'chain',
  'seq',
  'prev_hash',
  'hash',
] as const;

/** Where each column of an entry sits in a row: its name in an object, its index in an array. */
type ColumnKeys = Record<(typeof ENTRY_COLUMNS)[number], string | number>;

const BY_NAME = Object.fromEntries(ENTRY_COLUMNS.map((c) => [c, c])) as ColumnKeys;

/** The entry of a row whose columns sit under `k` (names or indexes). */
function decode(row: Record<string | number, unknown>, k: ColumnKeys): EventLog {
  const seq = row[k.seq];
  return {
    id: String(row[k.id]),
    timestamp: new Date(row[k.ts_key] as string),
    actorId: textOrNull(row[k.actor_id]),
    actorLabel: textOrNull(row[k.actor_label]),
    message: String(row[k.message]),
    template: textOrNull(row[k.template]),
    values: fromJson<JsonObject>(row[k.values]),
    tool: String(row[k.tool]),
    action: String(row[k.action]),
    objectType: textOrNull(row[k.object_type]),
    objectId: textOrNull(row[k.object_id]),
    changes: fromJson<Changes>(row[k.changes]),
    metadata: fromJson<JsonObject>(row[k.metadata]),
    eventId: textOrNull(row[k.event_id]),
    batchId: textOrNull(row[k.batch_id]),
    chain: textOrNull(row[k.chain]),
    // PostgreSQL returns bigint as text.
    seq: seq === null || seq === undefined ? null : Number(seq),
    prevHash: textOrNull(row[k.prev_hash]),
    hash: textOrNull(row[k.hash]),
  };
}

/** Maps a row read back to the entry every storage returns. */
export function fromRow(row: SqlRow): EventLog {
  return decode(row, BY_NAME);
}

/**
 * Reads rows handed over as arrays in the order of `columns` (`SqlSession.read`): a
 * column absent from the table (the chain columns of a table created before them) reads as
 * null. `entry` maps a row as `fromRow` does; `id` and `tsKey` are the keys of its cursor.
 */
export function columnReader(columns: readonly string[]) {
  const k = Object.fromEntries(
    ENTRY_COLUMNS.map((c) => {
      // `SELECT *, ... AS ts_key`: the last column of a name is the one the statement names.
      const at = columns.lastIndexOf(c);
      return [c, at === -1 ? columns.length : at];
    }),
  ) as ColumnKeys;
  return {
    entry: (row: readonly unknown[]): EventLog =>
      decode(row as unknown as Record<number, unknown>, k),
    id: (row: readonly unknown[]): string => String(row[k.id as number]),
    tsKey: (row: readonly unknown[]): string => String(row[k.ts_key as number]),
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
