import type {
  ChainStorage,
  DeleteFilter,
  EventLog,
  EventLogPage,
  EventLogStorage,
  InsertOptions,
  NewEventLog,
  StorageQuery,
} from '@eventlog/core';
import type { Knex } from 'knex';
import { knexChainStorage } from './chain';
import { dialectOf } from './dialect';
import { insertChunk } from './insert-chunk';
import { applyCursor, applyFilters, cursorAfter, isStoredId } from './query';
import { type EventLogRow, fromRow, type NewEventLogRow, toRow } from './row';
import { DEFAULT_TABLE_NAME, type EventLogTableOptions } from './schema';

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
  const table = options.tableName ?? DEFAULT_TABLE_NAME;
  const dialect = dialectOf(knex);
  const selectRow = (db: Knex) =>
    db(table).select(db.raw('*'), dialect.timestampKey(db).wrap('', ' as ts_key'));

  return {
    name: 'knex',
    capabilities: { transactions: true, eventIdLookup: true, integrity: true },
    ...knexChainStorage(knex, table, dialect, selectRow),

    async insert(entries: readonly NewEventLog[], opts?: InsertOptions<Knex.Transaction>) {
      if (entries.length === 0) return [];
      // A loop rather than a closure per call: this is the path measured against a raw insert.
      const rows: NewEventLogRow[] = new Array(entries.length);
      for (let i = 0; i < entries.length; i++) rows[i] = toRow(entries[i] as NewEventLog, dialect);
      const db = opts?.transaction ?? knex;
      if (rows.length <= dialect.chunkSize) {
        return insertChunk(db, table, entries, rows, dialect, selectRow);
      }
      // Several statements: a transaction (a savepoint inside the caller's) keeps the call
      // all-or-nothing.
      return db.transaction(async (trx) => {
        const stored: EventLog[] = [];
        for (let i = 0; i < rows.length; i += dialect.chunkSize) {
          const end = i + dialect.chunkSize;
          const chunk = rows.slice(i, end);
          stored.push(
            ...(await insertChunk(trx, table, entries.slice(i, end), chunk, dialect, selectRow)),
          );
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
            ? cursorAfter(query.order, last.ts_key, String(last.id))
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
