import {
  type ChainStorage,
  type DeleteFilter,
  type EventLog,
  type EventLogPage,
  type EventLogStorage,
  type InsertOptions,
  isStoredId,
  type NewEventLog,
  type StorageQuery,
  sqlCursorAfter,
} from '@eventlog/core';
import type { Knex } from 'knex';
import { knexChainStorage } from './chain';
import { type Dialect, dialectOf } from './dialect';
import { chunkWriter } from './insert-chunk';
import { applyCursor, applyFilters } from './query';
import { type EventLogRow, fromRow, type NewEventLogRow, toRow } from './row';
import { type EventLogTableOptions, tableNameOf } from './schema';

/** Stands in for a row already written, so the row itself can be collected. */
const RELEASED = {} as NewEventLogRow;

/** The rows of `entries[start..end)`; a loop rather than a closure per call (the hot path). */
function rowsOf(
  entries: readonly NewEventLog[],
  start: number,
  end: number,
  dialect: Dialect,
): NewEventLogRow[] {
  const rows: NewEventLogRow[] = new Array(end - start);
  for (let i = start; i < end; i++) rows[i - start] = toRow(entries[i] as NewEventLog, dialect);
  return rows;
}

/** Options of `knexStorage`. */
export type KnexStorageOptions = EventLogTableOptions;

/** The storage port on knex; `insert` accepts the caller's `Knex.Transaction`. */
export type KnexEventLogStorage = EventLogStorage<Knex.Transaction> &
  ChainStorage<Knex.Transaction> & {
    findByEventId(
      eventId: string,
      options?: InsertOptions<Knex.Transaction>,
    ): Promise<EventLog | null>;
  };

/**
 * An `EventLogStorage` on a knex instance (PostgreSQL, SQLite through better-sqlite3 or sqlite3,
 * MySQL/MariaDB). The table must exist: `createEventLogTable(knex)` or `eventLogMigration()`.
 * Driver errors propagate unchanged; `EventLogService` wraps them into `StorageError`.
 *
 * Tamper evidence (`capabilities.integrity`) needs the chain columns and the chain-heads table,
 * which `createEventLogTable` adds; tables without them keep working as long as the service's
 * `integrity` option is off. On SQLite a writer waits for the file lock up to the driver's busy
 * timeout (better-sqlite3: 5 s by default; raise it with `PRAGMA busy_timeout` in the pool's
 * `afterCreate` for many concurrent writing processes).
 */
export function knexStorage(knex: Knex, options: KnexStorageOptions = {}): KnexEventLogStorage {
  const table = tableNameOf(options);
  const dialect = dialectOf(knex);
  const selectRow = (db: Knex) =>
    db(table).select(db.raw('*'), dialect.timestampKey(db).wrap('', ' as ts_key'));
  const writeChunk = chunkWriter(knex, table, dialect, selectRow);

  return {
    name: 'knex',
    capabilities: { transactions: true, eventIdLookup: true, integrity: true },
    ...knexChainStorage(knex, table, dialect, selectRow, writeChunk),

    async insert(entries: readonly NewEventLog[], opts?: InsertOptions<Knex.Transaction>) {
      if (entries.length === 0) return [];
      const db = opts?.transaction ?? knex;
      if (entries.length <= dialect.chunkSize) {
        return writeChunk(db, entries, rowsOf(entries, 0, entries.length, dialect));
      }
      // Every row is encoded before the first statement, so a bad entry fails before any write.
      const rows = rowsOf(entries, 0, entries.length, dialect);
      // Several statements: a transaction (a savepoint inside the caller's) keeps the call
      // all-or-nothing.
      return db.transaction(async (trx) => {
        const stored: EventLog[] = new Array(rows.length);
        for (let i = 0; i < rows.length; i += dialect.chunkSize) {
          const end = Math.min(i + dialect.chunkSize, rows.length);
          const chunk = rows.slice(i, end);
          const done = await writeChunk(trx, entries.slice(i, end), chunk);
          // Let each chunk's rows go as soon as they are written: 200,000 rows at once otherwise
          // stay alive to the end, and the collector pays for it.
          for (let k = i; k < end; k++) {
            stored[k] = done[k - i] as EventLog;
            rows[k] = RELEASED;
          }
        }
        return stored;
      });
    },

    async find(query: StorageQuery): Promise<EventLogPage> {
      const page = applyFilters(selectRow(knex), query, dialect);
      if (query.cursor) applyCursor(page, query.cursor, query.order, dialect);
      page.orderBy([
        { column: 'timestamp', order: query.order },
        { column: 'id', order: query.order },
      ]);
      // One extra row tells whether a next page exists, without a count.
      page.limit(query.limit + 1);
      if (query.offset > 0) page.offset(query.offset);
      const counting = query.withCount
        ? applyFilters(knex(table), query, dialect).count({ n: '*' })
        : undefined;
      const [rows, counted] = await Promise.all([
        page as Promise<EventLogRow[]>,
        counting as Promise<{ n: number | string }[]> | undefined,
      ]);
      const more = rows.length > query.limit;
      const pageRows = more ? rows.slice(0, query.limit) : rows;
      const last = pageRows[pageRows.length - 1];
      const result: EventLogPage = {
        results: pageRows.map(fromRow),
        nextCursor:
          more && last?.ts_key !== undefined
            ? sqlCursorAfter(query.order, last.ts_key, String(last.id))
            : null,
      };
      if (counted) result.count = Number(counted[0]?.n ?? 0);
      return result;
    },

    async get(id: string) {
      if (!isStoredId(id)) return null;
      const row = (await selectRow(knex).where('id', id).first()) as EventLogRow | undefined;
      return row ? fromRow(row) : null;
    },

    async findByEventId(eventId: string, opts?: InsertOptions<Knex.Transaction>) {
      const db = opts?.transaction ?? knex;
      const row = (await selectRow(db).where('event_id', eventId).first()) as
        | EventLogRow
        | undefined;
      return row ? fromRow(row) : null;
    },

    async deleteBefore(cutoff: Date, filter?: DeleteFilter) {
      const del = knex(table).where('timestamp', '<', dialect.encodeTimestamp(cutoff, 'cutoff'));
      if (filter?.tool) del.whereIn('tool', filter.tool);
      if (filter?.unchained) del.whereNull('chain');
      return Number(await del.del());
    },
  };
}
