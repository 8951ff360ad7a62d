/**
 * How a page of a search reaches its rows when an index can serve it: the same choice on each
 * dialect, from the facts each can get cheaply.
 *
 * SQLite, when the FTS table exists: its planner has
 * no estimate for a MATCH and always lets it drive, which is the best plan for a rare phrase
 * (a few rows to fetch) and the worst for a common one (every match fetched and sorted, where
 * walking the page's own index, by time or by tool, finds a page within a few thousand rows).
 * So the choice is made here, from the cheapest facts first:
 * 1. the phrase's first `FTS_SURE_MAX` matches in the FTS table: fewer, and the FTS table drives
 *    (a rare or absent phrase costs next to nothing, and so does this probe of a common one);
 * 2. otherwise, when a filter other than time scatters the rows to walk, the first of a few
 *    three-character pieces of the phrase with fewer than `PIECE_ROWS_MAX` rows in the FTS table
 *    (each probe reads at most that many entries of one trigram): the page's index is walked and
 *    only the rows among that piece's are read (a phrase common in the table but rare among a
 *    tool's rows ends here);
 * 3. otherwise walk the newest (in the page's order) `WINDOW_ROWS_PER_ROW` rows per wanted row of
 *    the other filters and test each message: a common phrase, or filters that match few rows
 *    (the window holds them all), end here;
 * 4. otherwise count the matches up to `FTS_DRIVEN_MAX`: below it the FTS table drives, at it the
 *    phrase is common enough that walking the filters' index finds the page.
 *
 * PostgreSQL (a phrase the trigram index can serve): its planner picks between the trigram index
 * (every match fetched and sorted) and a walk of the page's index from estimates taken from a
 * sample, and a fresh ANALYZE can flip it. A GIN index has no cheap "first few matches" probe, so:
 * 0. with a tool filter and the trigram index of tool and message (`btree_gin`): the first of a few
 *    pieces of the phrase (one trigram each) that fewer than a quarter of the window's rows of the
 *    tool hold (the planner's estimate first, which costs no read, then a capped count through
 *    that index) narrows the search to those rows: a phrase
 *    common in the table but rare in the tool ends here, where walking the tool reads thousands
 *    of rows for a page and the whole phrase's trigrams each hold most of the table;
 * 1. search the newest `WINDOW_ROWS_PER_ROW` rows per wanted row of the other filters, walked as a
 *    subquery in the page's order that stops once the page is full: a common phrase ends here;
 * 2. otherwise every match is read first, the cheapest way the planner finds (the trigram index
 *    for a rare phrase), and sorted.
 * On every plan the ILIKE decides which rows match: one meaning.
 */

import type { StorageQuery } from '@eventlog/core/storage';
import { searchPieces, trigramPieces } from './keys';
import type { LogStatements } from './queries';
import type { SqlRow } from './row';
import type { SqlSession } from './session';

/**
 * The rows of the other filters the first walk reads per row the page needs: a phrase in one
 * row of this many (or more often) fills the page within the window.
 */
export const WINDOW_ROWS_PER_ROW = 150;

/** Fewer matches than this and the FTS table drives the query without a walk first. */
export const FTS_SURE_MAX = 200;

/** The most matches a search phrase may have for the FTS table to drive the query. */
export const FTS_DRIVEN_MAX = 2000;

/**
 * The FTS rows a piece of the phrase may have to narrow the walk: building the set of their ids
 * costs less than reading a few hundred rows of the table.
 */
export const PIECE_ROWS_MAX = 16_384;

/** The pieces of the phrase probed for one with fewer than `PIECE_ROWS_MAX` rows. */
export const PIECE_PROBES = 3;

/**
 * PostgreSQL: a piece of the phrase narrows a search inside a tool when the tool's rows holding it
 * are fewer than the window divided by this.
 */
export const TRIGRAM_PIECE_SHARE = 4;

/**
 * Whether `query` filters by a column other than time. A log is written in time order, so the rows
 * of a time range (or of no filter) sit together and a walk reads few pages for many rows, where
 * the rows of a tool, an actor or an object lie scattered, one page each.
 */
const scattered = (q: StorageQuery): boolean =>
  [q.tool, q.action, q.actorId, q.objectType, q.objectId, q.batchId, q.changedKey].some(
    (v) => v !== undefined,
  );

/**
 * The index that serves a search: SQLite's FTS table, or PostgreSQL's trigram index, on the
 * message alone or on the tool and the message (`tool-trigram`).
 */
export type SearchIndexKind = 'fts' | 'trigram' | 'tool-trigram';

/** PostgreSQL: how many rows the planner expects to match the filters of `query`. */
async function estimatedRows(
  session: SqlSession,
  log: LogStatements,
  query: StorageQuery,
): Promise<number> {
  const [row] = await session.query<{ 'QUERY PLAN': unknown }>(log.estimate(query));
  const raw = row?.['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [
    { Plan: { 'Plan Rows': number } },
  ];
  return plan[0].Plan['Plan Rows'];
}

/** The rows (one more than `limit`, as `page`) of `query`, whose search `index` can serve. */
export async function searchWindowPage(
  session: SqlSession,
  log: LogStatements,
  query: StorageQuery & { search: string },
  index: SearchIndexKind,
): Promise<SqlRow[]> {
  const window = (query.offset + query.limit + 1) * WINDOW_ROWS_PER_ROW;
  if (index === 'tool-trigram' && query.tool) {
    // A piece's rows are read twice (counted, then searched), the window's at most once.
    const max = Math.floor(window / TRIGRAM_PIECE_SHARE);
    for (const piece of trigramPieces(query.search, PIECE_PROBES)) {
      const narrowed = { ...query, search: piece };
      // The planner's estimate (from its sample of the messages) skips a piece it knows to be
      // common at the cost of a planning; the capped count decides for the others.
      if ((await estimatedRows(session, log, narrowed)) >= max) continue;
      const [row] = await session.query<{ n: number | string }>(log.count(narrowed, false, max));
      if (Number(row?.n ?? 0) < max) return session.query<SqlRow>(log.page(query, { piece }));
    }
  }
  if (index !== 'fts') {
    const walked = await session.query<SqlRow>(log.page(query, { window }));
    if (walked.length > query.limit) return walked;
    return session.query<SqlRow>(log.page(query, { indexed: true }));
  }
  /** Whether the FTS table finds fewer than `max` matches of `phrase`. */
  const fewerMatches = async (max: number, phrase = query.search) => {
    const [row] = await session.query<{ n: number | string }>(log.searchMatches(phrase, max));
    return Number(row?.n ?? 0) < max;
  };
  if (await fewerMatches(FTS_SURE_MAX))
    return session.query<SqlRow>(log.page(query, { indexed: true }));
  for (const piece of scattered(query) ? searchPieces(query.search, PIECE_PROBES) : []) {
    if (await fewerMatches(PIECE_ROWS_MAX, piece))
      return session.query<SqlRow>(log.page(query, { piece }));
  }
  const [edge] = await session.query<{ ts_key: string; id: unknown }>(
    log.windowEdge(query, window),
  );
  // No edge: the other filters match fewer rows than the window, so walking them all is the page.
  if (!edge) return session.query<SqlRow>(log.page(query));
  const walked = await session.query<SqlRow>(
    log.page(query, { edge: [edge.ts_key, String(edge.id)] }),
  );
  // A full page (and the row after it) inside the window is the page: the window is the start
  // of the rows the page walks, in its order.
  if (walked.length > query.limit) return walked;
  const indexed = await fewerMatches(FTS_DRIVEN_MAX);
  return session.query<SqlRow>(log.page(query, { indexed }));
}
