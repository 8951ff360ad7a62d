import type { EventLog, EventLogPage } from '@eventlog/core';
import {
  type ChainStorage,
  type DeleteFilter,
  type EventLogStorage,
  type InsertOptions,
  type NewEventLog,
  pageFromRows,
  type StorageQuery,
} from '@eventlog/core/storage';
import { sqlChainStorage } from './chain';
import { anyChangedKeys, backfillChangedKeys, writeChangedKeys } from './changed-keys';
import { copyEntries } from './copy';
import { indexableSearch, isStoredId, sqlCursorAfter } from './keys';
import { isPartitionedTable, purgePartitions } from './partition-purge';
import { logStatements } from './queries';
import { anyBatched, columnReader, fromRow, type NewSqlRow, type SqlRow, toRow } from './row';
import { searchTableExists } from './search-index';
import type { SqlAdapter, SqlSession } from './session';

/** The most rows a search phrase may match for the SQLite FTS table to drive the query. */
const FTS_DRIVEN_MAX = 5000;

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
  // Once the SQLite FTS table exists it stays (the migrations create it); a table without it is
  // probed again, until its migration has run.
  let ftsExists = false;
  /**
   * Whether the search of `query` goes through the SQLite FTS table: it exists, the search is
   * long enough, and it matches fewer than `FTS_DRIVEN_MAX` rows. SQLite's planner has no
   * estimate for a MATCH and always lets it drive; a phrase in many rows is cheaper found by
   * walking the page's own index (time, or a tool's) and testing each row.
   */
  async function indexedSearch(query: StorageQuery): Promise<boolean> {
    if (!searchTable || query.search === undefined || !indexableSearch(query.search)) return false;
    ftsExists ||= (await root.query(searchTableExists(searchTable.name))).length > 0;
    if (!ftsExists) return false;
    const [row] = await root.query<{ n: number | string }>(
      log.searchMatches(query.search, FTS_DRIVEN_MAX),
    );
    return Number(row?.n ?? 0) < FTS_DRIVEN_MAX;
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
      const indexed = await indexedSearch(query);
      const page = log.page(query, indexed);
      const [rows, counted] = await Promise.all([
        root.queryColumns ? root.queryColumns(page) : root.query<SqlRow>(page),
        query.withCount ? root.query<{ n: number | string }>(log.count(query, indexed)) : undefined,
      ]);
      const count = counted ? Number(counted[0]?.n ?? 0) : undefined;
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
      if (await isPartitionedTable(root, adapter.target)) {
        return purgePartitions(root, adapter.target, log, cutoff, filter);
      }
      // The entries' changed-keys rows go in the same transaction: none outlives its entry.
      return root.transaction(async (s) => {
        await s.execute(log.deleteChangedKeysBefore(cutoff, filter));
        return s.execute(log.deleteBefore(cutoff, filter));
      });
    },
  };
}
