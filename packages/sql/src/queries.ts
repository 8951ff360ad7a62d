import type { DeleteFilter, StorageQuery } from '@eventlog/core/storage';
import type { SqlDialect } from './dialect';
import { ftsPhrase, indexableSearch, likePattern, readSqlCursor } from './keys';
import { Binds, type Placeholder, type Statement, whereClause } from './statement';

/** A LIMIT or OFFSET written into the SQL: only a non-negative safe integer gets there. */
function integer(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a row count: ${n}`);
  return String(n);
}

/** Where the statements run: the dialect, the quoted tables and the placeholder style. */
export interface SqlTarget {
  dialect: SqlDialect;
  /** The quoted (possibly schema-qualified) log table. */
  table: string;
  /** The quoted (possibly schema-qualified) chain-heads table. */
  heads: string;
  /** The quoted (possibly schema-qualified) changed-keys table. */
  changedKeys: string;
  /**
   * The quoted event-ids table of a table partitioned by month (PostgreSQL), which keeps
   * `event_id` unique across partitions; unused by plain tables.
   */
  eventIds?: string;
  /**
   * SQLite: the FTS5 table that indexes the messages (`searchTableName`), quoted and by name.
   * Absent: search scans.
   */
  searchTable?: { quoted: string; name: string };
  placeholder: Placeholder;
}

/** `query` without its search. */
function withoutSearch(query: StorageQuery): StorageQuery {
  const { search: _search, ...rest } = query;
  return rest;
}

/**
 * The read and delete statements of the log table. Every read selects `*` (a table created
 * before the chain columns still reads, its entries unchained) and the timestamp as its text key.
 */
/** How `page` reaches its rows (search); by default the filters and the cursor alone. */
export interface PagePlan {
  /**
   * The search's index drives: SQLite joins its FTS table; PostgreSQL reads every match first
   * (fenced from the page's order, so the planner fetches them the cheapest way, through the
   * trigram index for a rare phrase) and then sorts them.
   */
  indexed?: boolean;
  /** The last `[timestamp key, id]` the page may reach, inclusive, in the page's order. */
  edge?: readonly [string, string];
  /**
   * Only the first `window` rows of the other filters (after the cursor, in the page's order) are
   * searched: a subquery walks them in order and stops once the page is full.
   */
  window?: number;
  /**
   * A piece of the search (`searchPieces`) that narrows the rows read. SQLite: its FTS rows
   * narrow a walk of the other filters' index (a row outside them is skipped from its index entry,
   * unread). PostgreSQL: the rows of the other filters holding it are read first (fenced, through
   * the trigram index of tool and message, which finds the few rows holding both the tool and the
   * piece without reading every match of the phrase's common trigrams), then the search decides.
   */
  piece?: string;
}

export function logStatements({
  dialect,
  table,
  changedKeys,
  searchTable,
  placeholder,
}: SqlTarget) {
  const q = dialect.quote;
  const columns = `*, ${dialect.timestampKey} AS ${q('ts_key')}`;
  const select = `SELECT ${columns} FROM ${table}`;
  const binds = () => new Binds(placeholder);

  /**
   * The conditions of every filter of `query` (not cursor, offset, order or limit). `joined`:
   * the page joins the changed-keys rows of its one `changedKey` already. `indexed`: the FTS
   * table exists.
   */
  function filters(query: StorageQuery, b: Binds, indexed: boolean, joined = false): string[] {
    const where: string[] = [];
    const ts = (date: Date, field: string) =>
      dialect.timestampParam(b.add(dialect.encodeTimestamp(date, field)));
    if (query.tool) where.push(`${q('tool')} IN (${b.list(query.tool)})`);
    if (query.action) where.push(`${q('action')} IN (${b.list(query.action)})`);
    if (query.actorId !== undefined) where.push(`${q('actor_id')} = ${b.add(query.actorId)}`);
    if (query.objectType !== undefined) {
      where.push(`${q('object_type')} = ${b.add(query.objectType)}`);
    }
    if (query.objectId !== undefined) where.push(`${q('object_id')} = ${b.add(query.objectId)}`);
    if (query.batchId !== undefined) where.push(`${q('batch_id')} = ${b.add(query.batchId)}`);
    if (query.from) where.push(`${q('timestamp')} >= ${ts(query.from, 'from')}`);
    if (query.to) where.push(`${q('timestamp')} < ${ts(query.to, 'to')}`);
    if (query.search !== undefined) {
      // The FTS table narrows to the rows holding the search's trigrams; its case folding is
      // Unicode-wide where LIKE's is ASCII only, so LIKE still decides: one meaning either way.
      if (indexed && searchTable && indexableSearch(query.search)) {
        where.push(
          `${table}.${q('id')} IN (SELECT rowid FROM ${searchTable.quoted} WHERE ${q('message')} MATCH ${b.add(ftsPhrase(query.search))})`,
        );
      }
      where.push(dialect.search(q('message'), b.add(likePattern(query.search))));
    }
    if (query.changedKey && !joined) {
      where.push(
        `${q('id')} IN (SELECT ${q('entry_id')} FROM ${changedKeys} WHERE ${q('changed_key')} IN (${b.list(query.changedKey)}))`,
      );
    }
    return where;
  }

  /** The conditions of a retention: older than `cutoff` (when given) and of `filter`. */
  function retention(b: Binds, cutoff: Date | undefined, filter?: DeleteFilter): string[] {
    const where: string[] = [];
    if (cutoff) {
      const bound = b.add(dialect.encodeTimestamp(cutoff, 'cutoff'));
      where.push(`${q('timestamp')} < ${dialect.timestampParam(bound)}`);
    }
    if (filter?.tool) where.push(`${q('tool')} IN (${b.list(filter.tool)})`);
    // Chained entries leave only through cutChain, never from the middle of a chain.
    if (filter?.unchained) where.push(`${q('chain')} IS NULL`);
    return where;
  }

  /** The conditions of a chain's prefix up to `cut`: what a purge of the chain deletes. */
  const chainPrefix = (b: Binds, chain: string, cut: number): string[] => [
    `${q('chain')} = ${b.add(chain)}`,
    `${q('seq')} <= ${b.add(cut)}`,
  ];

  /** `page` selecting `selected`. */
  function pageOf(query: StorageQuery, plan: PagePlan, selected: string): Statement {
    const b = binds();
    // One changed key: walk its `(changed_key, entry_ts, entry_id)` index in keyset order and
    // join each entry; several would repeat entries touching more than one, so they filter.
    const joined = query.changedKey?.length === 1;
    let from = table;
    let [tsColumn, idColumn] = [q('timestamp'), q('id')];
    if (joined) {
      const key = b.add(query.changedKey?.[0]);
      from = `${table} JOIN ${changedKeys} ON ${q('entry_id')} = ${table}.${q('id')} AND ${q('changed_key')} = ${key}`;
      [tsColumn, idColumn] = [q('entry_ts'), q('entry_id')];
    }
    const windowed = plan.window !== undefined && query.search !== undefined;
    const pieced = plan.piece !== undefined && dialect.kind === 'postgres';
    const searched = pieced ? { ...query, search: plan.piece } : query;
    const where = filters(
      windowed ? withoutSearch(query) : searched,
      b,
      plan.indexed === true,
      joined,
    );
    /** `(ts, id) op key`: the keyset comparison of a cursor or a window's edge. */
    const keyset = (op: string, [ts, id]: readonly [string, string]) => {
      const key = `${dialect.timestampParam(b.add(dialect.bindTimestampKey(ts)))}, ${dialect.idParam(b.add(id))}`;
      where.push(`(${tsColumn}, ${idColumn}) ${op} (${key})`);
    };
    const desc = query.order === 'desc';
    if (plan.piece !== undefined && searchTable) {
      // The unary `+` keeps the FTS rows from driving the query: the other filters' index is
      // walked in the page's order and each entry's id checked against them (built once) before
      // its row is read; the LIKE on the row still decides.
      where.push(
        `+${table}.${q('id')} IN (SELECT rowid FROM ${searchTable.quoted} WHERE ${q('message')} MATCH ${b.add(ftsPhrase(plan.piece))})`,
      );
    }
    if (query.cursor) keyset(desc ? '<' : '>', readSqlCursor(query.cursor, query.order));
    if (plan.edge) keyset(desc ? '>=' : '<=', plan.edge);
    const dir = desc ? 'DESC' : 'ASC';
    const prefix = joined && selected === columns ? `${table}.` : '';
    const order = (ts: string, id: string) => `ORDER BY ${ts} ${dir}, ${id} ${dir}`;
    const rows = `LIMIT ${integer(query.limit + 1)}${query.offset > 0 ? ` OFFSET ${integer(query.offset)}` : ''}`;
    const chosen = `SELECT ${prefix}${selected} FROM ${from}${whereClause(where)}`;
    // A fenced page reads the table's rows inside and adds the timestamp key outside, to the
    // page's rows only. The outer query orders by the selected columns, which equal the walked
    // index's (`entry_ts` and `entry_id` are the entry's timestamp and id).
    const inside = `SELECT ${table}.* FROM ${from}${whereClause(where)}`;
    const outside = (source: string) => `SELECT ${columns} FROM ${source}`;
    const outer = `${order(q('timestamp'), q('id'))} ${rows}`;
    if (windowed && query.search !== undefined) {
      // The window keeps its order through the filter above it (a scan of a subquery never
      // reorders it). An outer ORDER BY would make PostgreSQL plan the walk for every row of the
      // window, where a page stops early: over a window close to all the rows of the filters it
      // would fetch them all and sort them, instead of walking the index until the page is full.
      const walk = `${inside} ${order(tsColumn, idColumn)} LIMIT ${integer(plan.window ?? 0)}`;
      const match = dialect.search(q('message'), b.add(likePattern(query.search)));
      return b.statement(`${outside(`(${walk}) ${q('walked')}`)} WHERE ${match} ${rows}`);
    }
    if (pieced && query.search !== undefined) {
      const [matched, match] = [
        q('matched'),
        dialect.search(q('message'), b.add(likePattern(query.search))),
      ];
      return b.statement(
        `WITH ${matched} AS MATERIALIZED (${inside}) ${outside(matched)} WHERE ${match} ${outer}`,
      );
    }
    if (plan.indexed && dialect.kind === 'postgres') {
      const matched = q('matched');
      return b.statement(
        `WITH ${matched} AS MATERIALIZED (${inside}) ${outside(matched)} ${outer}`,
      );
    }
    return b.statement(`${chosen} ${order(tsColumn, idColumn)} ${rows}`);
  }

  return {
    /**
     * One page of `query`, with one row more than `limit` to tell whether another page exists.
     * The cursor is a row comparison, which PostgreSQL, SQLite (3.15+) and MySQL serve from the
     * `(…, timestamp, id)` indexes; `ts < ? OR (ts = ? AND id < ?)` would scan like OFFSET.
     * `plan.indexed`: the search goes through the SQLite FTS table (`searchTableExists`);
     * `plan.edge`: only rows up to this `[timestamp key, id]` (inclusive, in the page's order).
     */
    page(query: StorageQuery, plan: PagePlan = {}): Statement {
      return pageOf(query, plan, columns);
    },

    /**
     * The timestamp key and id (columns `ts_key`, `id`) of the `rows`-th row after the cursor
     * and offset of `query` without its search: the edge of the window a search walks first
     * (`searchWindow`). No row when fewer rows match the other filters.
     */
    windowEdge(query: StorageQuery, rows: number): Statement {
      const keys = `${dialect.timestampKey} AS ${q('ts_key')}, `;
      const windowed = { ...withoutSearch(query), limit: 0, offset: query.offset + rows - 1 };
      return pageOf(windowed, {}, `${keys}${table}.${q('id')} AS ${q('id')}`);
    },

    /**
     * How many rows match the filters of `query`, as the column `n` (`indexed` as in `page`):
     * all of them, or at most `max`, which stops reading there (the cost of a capped count).
     */
    count(query: StorageQuery, indexed = false, max: number | null = null): Statement {
      const b = binds();
      const where = whereClause(filters(query, b, indexed));
      if (max === null) return b.statement(`SELECT COUNT(*) AS ${q('n')} FROM ${table}${where}`);
      return b.statement(
        `SELECT COUNT(*) AS ${q('n')} FROM (SELECT 1 AS ${q('one')} FROM ${table}${where} LIMIT ${integer(max)}) ${q('capped')}`,
      );
    },

    /**
     * PostgreSQL: the planner's plan of reading the rows that match the filters of `query`, as
     * JSON (`EXPLAIN (FORMAT JSON)`, column `QUERY PLAN`): its estimate of their number costs a
     * planning, not a read.
     */
    estimate(query: StorageQuery): Statement {
      const b = binds();
      const where = whereClause(filters(query, b, false));
      return b.statement(`EXPLAIN (FORMAT JSON) SELECT 1 FROM ${table}${where}`);
    },

    /** How many rows (up to `max`) the SQLite FTS table finds for `search`, as the column `n`. */
    searchMatches(search: string, max: number): Statement {
      const b = binds();
      const fts = searchTable?.quoted ?? '';
      return b.statement(
        `SELECT COUNT(*) AS ${q('n')} FROM (SELECT 1 FROM ${fts} WHERE ${q('message')} MATCH ${b.add(ftsPhrase(search))} LIMIT ${integer(max)})`,
      );
    },

    /** The row with column `column` equal to `value` (`id` is cast to the column type). */
    byKey(column: 'id' | 'event_id', value: string): Statement {
      const b = binds();
      const param = column === 'id' ? dialect.idParam(b.add(value)) : b.add(value);
      return b.statement(`${select} WHERE ${q(column)} = ${param} LIMIT 1`);
    },

    /** Retention: rows older than `cutoff` (and of `filter`). */
    deleteBefore(cutoff: Date, filter?: DeleteFilter): Statement {
      const b = binds();
      return b.statement(`DELETE FROM ${table}${whereClause(retention(b, cutoff, filter))}`);
    },

    /** The changed-keys rows of the entries `deleteBefore(cutoff, filter)` deletes. */
    deleteChangedKeysBefore(cutoff: Date, filter?: DeleteFilter): Statement {
      const b = binds();
      const ids = `SELECT ${q('id')} FROM ${table}${whereClause(retention(b, cutoff, filter))}`;
      return b.statement(`DELETE FROM ${changedKeys} WHERE ${q('entry_id')} IN (${ids})`);
    },

    /** The conditions of a retention `filter` alone (no cutoff), bound into `b`. */
    retentionFilter(b: Binds, filter?: DeleteFilter): string[] {
      return retention(b, undefined, filter);
    },

    /** Entries of `chain` with `fromSeq <= seq <= toSeq`, by seq. */
    chainRange(
      chain: string,
      fromSeq: number,
      toSeq: number | undefined,
      limit: number,
    ): Statement {
      const b = binds();
      let sql = `${select} WHERE ${q('chain')} = ${b.add(chain)} AND ${q('seq')} >= ${b.add(fromSeq)}`;
      if (toSeq !== undefined) sql += ` AND ${q('seq')} <= ${b.add(toSeq)}`;
      return b.statement(`${sql} ORDER BY ${q('seq')} LIMIT ${integer(limit)}`);
    },

    /** Entries outside every chain, by id, after `after`. */
    unchained(after: string | null, limit: number): Statement {
      const b = binds();
      let sql = `${select} WHERE ${q('chain')} IS NULL`;
      if (after !== null) sql += ` AND ${q('id')} > ${dialect.idParam(b.add(after))}`;
      return b.statement(`${sql} ORDER BY ${q('id')} LIMIT ${integer(limit)}`);
    },

    /** How many rows one `insertChangedKeys` takes: 3 binds a row, or one JSON on PostgreSQL. */
    changedKeyRowsPerStatement: dialect.kind === 'postgres' ? 10_000 : 300,

    /**
     * Rows of the changed-keys table: `[entry id, key, encoded timestamp]` each, at most
     * `changedKeyRowsPerStatement`. PostgreSQL
     * takes them as one JSON parameter (`json_to_recordset`): binding three values per row costs
     * the drivers more than the database spends parsing the JSON.
     */
    insertChangedKeys(rows: readonly (readonly [string, string, string])[]): Statement {
      const b = binds();
      const into = `INSERT INTO ${changedKeys} (${q('entry_id')}, ${q('changed_key')}, ${q('entry_ts')})`;
      if (dialect.kind === 'postgres') {
        const json = b.add(JSON.stringify(rows.map(([i, k, t]) => ({ i, k, t }))));
        return b.statement(
          `${into} SELECT * FROM json_to_recordset(CAST(${json} AS json)) AS r(i bigint, k text, t timestamptz)`,
        );
      }
      const values = rows.map(
        ([id, key, ts]) =>
          `(${dialect.idParam(b.add(id))}, ${b.add(key)}, ${dialect.timestampParam(b.add(ts))})`,
      );
      return b.statement(`${into} VALUES ${values.join(', ')}`);
    },

    /** Entries with changes but no changed-keys rows, by id, after `after`: what a backfill reads. */
    unindexed(after: string | null, limit: number): Statement {
      const b = binds();
      let sql = `${select} WHERE ${q('changes')} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${changedKeys} WHERE ${q('entry_id')} = ${table}.${q('id')})`;
      if (after !== null) sql += ` AND ${q('id')} > ${dialect.idParam(b.add(after))}`;
      return b.statement(`${sql} ORDER BY ${q('id')} LIMIT ${integer(limit)}`);
    },

    /** Chained entries of `chain` with `seq <= cut`. */
    deleteChainTo(chain: string, cut: number): Statement {
      const b = binds();
      return b.statement(`DELETE FROM ${table}${whereClause(chainPrefix(b, chain, cut))}`);
    },

    /** The changed-keys rows of the entries `deleteChainTo(chain, cut)` deletes. */
    deleteChangedKeysOfChainTo(chain: string, cut: number): Statement {
      const b = binds();
      const ids = `SELECT ${q('id')} FROM ${table}${whereClause(chainPrefix(b, chain, cut))}`;
      return b.statement(`DELETE FROM ${changedKeys} WHERE ${q('entry_id')} IN (${ids})`);
    },
  };
}

/** The statements of `logStatements`. */
export type LogStatements = ReturnType<typeof logStatements>;
