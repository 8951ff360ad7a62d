import type { EventLog, EventLogPage } from '@eventlog/core';
import {
  type ChainStorage,
  changedKeysOf,
  countLimitOf,
  type DeleteFilter,
  type EventLogStorage,
  type InsertOptions,
  type NewEventLog,
  pageCount,
  pageFromRows,
  type StorageQuery,
} from '@eventlog/core/storage';
import { sqlChainStorage } from './chain';
import {
  anyChangedKeys,
  backfillChangedKeys,
  changedKeyStatements,
  writeChangedKeys,
} from './changed-keys';
import { copyEntries } from './copy';
import { keyedInsert, rowInsert } from './keyed-insert';
import { indexableSearch, isStoredId, sqlCursorAfter } from './keys';
import { purgePartitions } from './partition-purge';
import { preparedPages } from './prepared-pages';
import { logStatements } from './queries';
import {
  anyBatched,
  columnReader,
  fromRow,
  insertedEntry,
  type NewSqlRow,
  type SqlRow,
  toRow,
} from './row';
import { searchTableExists, toolTrigramIndexExists } from './search-index';
import { type SearchIndexKind, searchWindowPage } from './search-window';
import type { ColumnRows, SqlAdapter, SqlSession } from './session';
import type { Statement } from './statement';

/** The storage port over a SQL adapter, with tamper evidence and event-id lookups. */
export type SqlEventLogStorage<Tx> = EventLogStorage<Tx> &
  ChainStorage<Tx> & {
    findByEventId(eventId: string, options?: InsertOptions<Tx>): Promise<EventLog | null>;
    backfillChangedKeys(options?: InsertOptions<Tx>): Promise<number>;
  };

/**
 * An `EventLogStorage` (with `ChainStorage`) over the sessions and insert path of `adapter`:
 * every statement but the inserts is written here, once for every SQL adapter and dialect.
 * Driver errors propagate unchanged; `EventLogService` wraps them into `StorageError`.
 */
export function sqlStorage<Tx, S extends SqlSession>(
  adapter: SqlAdapter<Tx, S>,
): SqlEventLogStorage<Tx> {
  const { dialect } = adapter.target;
  const log = logStatements(adapter.target);
  const { root } = adapter;
  const { searchTable } = adapter.target;
  // PostgreSQL keeps named statements per connection, parsed and planned once.
  const named =
    dialect.kind === 'postgres' ? preparedPages() : (_query: StorageQuery, page: Statement) => page;
  // Once the SQLite FTS table exists it stays (the migrations create it); a table without it is
  // probed again, until its migration has run.
  let ftsExists = false;
  /** Whether the SQLite FTS table can serve the search of `query`. */
  async function ftsServes(query: StorageQuery): Promise<boolean> {
    if (!searchTable || query.search === undefined || !indexableSearch(query.search)) return false;
    ftsExists ||= (await root.query(searchTableExists(searchTable.name))).length > 0;
    return ftsExists;
  }

  // PostgreSQL: the trigram index of tool and message stays once a migration built it.
  let toolTrigram = false;
  /** The index that serves a PostgreSQL search inside a tool. */
  async function trigramKind(query: StorageQuery): Promise<SearchIndexKind> {
    if (query.tool === undefined) return 'trigram';
    toolTrigram ||= (await root.query(toolTrigramIndexExists(adapter.target.table))).length > 0;
    return toolTrigram ? 'tool-trigram' : 'trigram';
  }

  /**
   * The rows of one page of `query` (one more than its limit), the way the session reads them
   * cheapest (`SqlSession.read`).
   */
  async function pageRows(query: StorageQuery, fts: boolean): Promise<SqlRow[] | ColumnRows> {
    const { search } = query;
    if (search !== undefined && (fts || (dialect.kind === 'postgres' && indexableSearch(search)))) {
      const kind = fts ? 'fts' : await trigramKind(query);
      return searchWindowPage(root, log, { ...query, search }, kind);
    }
    const page = named(query, log.page(query));
    return root.read ? root.read(page) : root.query<SqlRow>(page);
  }

  return {
    name: adapter.name,
    capabilities: { transactions: true, eventIdLookup: true, integrity: true },
    ...sqlChainStorage(adapter, log),

    async insert(entries: readonly NewEventLog[], options?: InsertOptions<Tx>) {
      if (entries.length === 0) return [];
      // Every row is encoded before the first statement, so a bad entry fails before any write.
      const rows: NewSqlRow[] = new Array(entries.length);
      const batched = anyBatched(entries);
      for (let i = 0; i < entries.length; i++) {
        rows[i] = toRow(entries[i] as NewEventLog, dialect, batched);
      }
      const session = adapter.session(options?.transaction);
      const keyed = anyChangedKeys(entries);
      /** The INSERT statements, then the changed-keys rows, through `s`. */
      const insertAll = async (s: S) => {
        const stored = await adapter.write(s, entries, rows);
        if (keyed) await writeChangedKeys(s, log, dialect, stored);
        return stored;
      };
      const { copy } = adapter;
      if (copy && entries.length >= copy.minRows) {
        // The id reservation and the COPYs are several statements: all or nothing, as below.
        return session.transaction(
          async (s) =>
            (await copyEntries(s, adapter.target, copy.run, entries, rows)) ?? insertAll(s),
        );
      }
      if (!keyed && adapter.singleStatement(rows)) return adapter.write(session, entries, rows);
      if (keyed && entries.length === 1 && dialect.kind === 'postgres') {
        // One entry with changes (a `log()`): one statement writes it and its keys, no savepoint.
        const [entry, row] = [entries[0] as NewEventLog, rows[0] as NewSqlRow];
        const statement = keyedInsert(adapter.target, row, changedKeysOf(entry.changes));
        const [inserted] = await session.query<{ id: number | string }>(statement);
        return [insertedEntry(String(inserted?.id), entry, row)];
      }
      if (keyed && entries.length === 1 && session.insertThen) {
        // One entry with changes where the driver runs both inserts in one synchronous step.
        const [entry, row] = [entries[0] as NewEventLog, rows[0] as NewSqlRow];
        const ts = row.timestamp as string;
        const keys = changedKeysOf(entry.changes);
        const id = await session.insertThen(rowInsert(adapter.target, row), (id) =>
          changedKeyStatements(
            log,
            keys.map((key) => [id, key, ts] as const),
          ),
        );
        return [insertedEntry(id, entry, row)];
      }
      // Several statements (chunks, the changed-keys rows): a transaction (a savepoint inside
      // the caller's) keeps the call all-or-nothing.
      return session.transaction(insertAll);
    },

    /**
     * Indexes the changed keys of entries written before the changed-keys table existed; the
     * migrations call it. Returns how many entries it indexed.
     */
    backfillChangedKeys(options?: InsertOptions<Tx>): Promise<number> {
      return backfillChangedKeys(adapter.session(options?.transaction), log, dialect);
    },

    async find(query: StorageQuery): Promise<EventLogPage> {
      const fts = await ftsServes(query);
      const max = countLimitOf(query);
      // A count reads every match: the FTS table finds them for less than a walk of the filters.
      const [rows, counted] = await Promise.all([
        pageRows(query, fts),
        max === 0 ? undefined : root.query<{ n: number | string }>(log.count(query, fts, max)),
      ]);
      const count = pageCount(query, counted && Number(counted[0]?.n ?? 0));
      if (Array.isArray(rows)) {
        const cursorAfter = (row: SqlRow) =>
          sqlCursorAfter(query.order, row.ts_key, String(row.id));
        return pageFromRows(rows, query.limit, fromRow, cursorAfter, count);
      }
      const read = columnReader(rows.columns);
      const cursorAfter = (row: readonly unknown[]) =>
        sqlCursorAfter(query.order, read.tsKey(row), read.id(row));
      return pageFromRows(rows.rows, query.limit, read.entry, cursorAfter, count);
    },

    async get(id: string, options?: InsertOptions<Tx>) {
      if (!isStoredId(id)) return null;
      const session = adapter.session(options?.transaction);
      const [row] = await session.query<SqlRow>(log.byKey('id', id));
      return row ? fromRow(row) : null;
    },

    async findByEventId(eventId: string, options?: InsertOptions<Tx>) {
      const session = adapter.session(options?.transaction);
      const [row] = await session.query<SqlRow>(log.byKey('event_id', eventId));
      return row ? fromRow(row) : null;
    },

    /** On a table partitioned by month, drops the partitions below `cutoff` (`purgePartitions`). */
    async deleteBefore(cutoff: Date, filter?: DeleteFilter) {
      return root.transaction(async (s) => {
        if (dialect.kind === 'postgres') {
          const purged = await purgePartitions(s, adapter.target, log, cutoff, filter);
          if (purged !== null) return purged;
        }
        // The entries' changed-keys rows go in the same transaction: none outlives its entry.
        await s.execute(log.deleteChangedKeysBefore(cutoff, filter));
        return s.execute(log.deleteBefore(cutoff, filter));
      });
    },
  };
}
