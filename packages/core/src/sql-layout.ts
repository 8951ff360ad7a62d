/**
 * The SQL table layout both SQL adapters (knex, Sequelize) write and read: snake_case columns,
 * timestamps as fixed-width text keys, JSON as text or jsonb, a chain-heads table. One copy, so
 * either adapter keeps reading what the other wrote (the adapters' layout tests compare the
 * catalogs). For adapter authors; applications never need it.
 */

import { cursorInstant, decodeCursor, encodeCursor } from './cursor';
import { ValidationError } from './errors';
import type { ChainHead } from './integrity/port';
import type { Changes, EventLog, JsonObject } from './schemas';

/** A full-precision timestamp key: `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export const TIMESTAMP_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/**
 * ISO-8601 with microseconds and a fixed width, so text order is time order. A JS Date has
 * milliseconds only; the three extra digits keep rows written by other tools at full precision.
 *
 * @throws ValidationError on `field` for an invalid date or one outside years 0000-9999.
 */
export function toTimestampKey(date: Date, field: string): string {
  const time = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw ValidationError.field(field, 'is not a valid date');
  const iso = date.toISOString();
  if (iso.length !== 24) throw ValidationError.field(field, 'must be within years 0000-9999');
  return `${iso.slice(0, 23)}000Z`;
}

const ID_PATTERN = /^[1-9]\d{0,18}$/;
const MAX_ID = 9_223_372_036_854_775_807n;

/** True when `id` could be a key of the table (a positive 64-bit integer in decimal). */
export const isStoredId = (id: string): boolean => ID_PATTERN.test(id) && BigInt(id) <= MAX_ID;

/**
 * The `(timestamp key, id)` a cursor carries, validated so a forged one never reaches SQL: the
 * key must name a real instant (`cursorInstant`), the id a possible row id.
 */
export function readSqlCursor(cursor: string, order: 'asc' | 'desc'): [string, string] {
  const [ts, id] = decodeCursor(cursor, order, 2);
  if (ts === undefined || id === undefined || !TIMESTAMP_KEY.test(ts) || !isStoredId(id)) {
    throw ValidationError.field('cursor', 'is not a cursor returned by this API');
  }
  cursorInstant(ts);
  return [ts, id];
}

/** The cursor resuming after the row with this timestamp key and id. */
export const sqlCursorAfter = (order: 'asc' | 'desc', tsKey: string, id: string): string =>
  encodeCursor(order, [tsKey, id]);

/**
 * A `search` as a LIKE pattern matching it literally anywhere, escaped with `!` (MySQL string
 * literals treat `\` specially, and with an explicit ESCAPE PostgreSQL's backslash no longer
 * applies either): use it with `ESCAPE '!'`.
 */
export const likePattern = (search: string): string =>
  `%${search.replace(/[!%_]/g, (c) => `!${c}`)}%`;

/**
 * JSON as the adapters bind it: text on every dialect (pg would turn a top-level array into a
 * PostgreSQL array, and SQLite has no JSON type at all); null stays NULL.
 */
export const toJsonText = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);

/** The entry columns of a row, snake_case, as the drivers return them. */
export interface SqlEntryColumns {
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
}

/** The JSON fields of an entry, as objects. */
export type JsonFields = Pick<EventLog, 'values' | 'changes' | 'metadata'>;

// PostgreSQL's jsonb arrives parsed; SQLite's text (and MySQL's longtext) as a string.
// JSON.parse makes `__proto__` an own key, never a prototype.
function fromJson<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Parses the JSON columns of a row read back. */
export function parseJsonColumns(row: SqlEntryColumns): JsonFields {
  return {
    values: fromJson<JsonObject>(row.values),
    changes: fromJson<Changes>(row.changes),
    metadata: fromJson<JsonObject>(row.metadata),
  };
}

/** The entry of a row, with its id, timestamp and JSON fields as the caller decoded them. */
export function sqlRowToEntry(
  row: SqlEntryColumns,
  id: string,
  timestamp: Date,
  json: JsonFields,
): EventLog {
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

/** One row of the chain-heads table; PostgreSQL returns its bigints as text. */
export interface SqlChainHeadRow {
  chain: string;
  seq: number | string;
  hash: string;
  start_seq: number | string;
  start_hash: string;
  checkpoint_seq: number | string | null;
  checkpoint_hash: string | null;
  checkpoint_at: string | null;
}

/** The chain head of a chain-heads row. */
export function chainHeadFromRow(row: SqlChainHeadRow): ChainHead {
  return {
    chain: row.chain,
    seq: Number(row.seq),
    hash: row.hash,
    start: { seq: Number(row.start_seq), hash: row.start_hash },
    checkpoint:
      row.checkpoint_seq === null || row.checkpoint_hash === null || row.checkpoint_at === null
        ? null
        : {
            seq: Number(row.checkpoint_seq),
            hash: row.checkpoint_hash,
            at: new Date(row.checkpoint_at),
          },
  };
}
