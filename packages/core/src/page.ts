import type { PageCount } from './count';
import type { EventLog, EventLogPage } from './schemas';

/**
 * The page of a `find` that fetched up to `limit + 1` rows in page order: one row more than the
 * page tells whether another page exists, without a count. Returns the first `limit` rows as
 * entries, the cursor after the last of them when there is more (else null), and `count` with
 * `countExact` when given (`pageCount`).
 */
export function pageFromRows<R>(
  rows: readonly R[],
  limit: number,
  toEntry: (row: R) => EventLog,
  cursorAfter: (row: R) => string,
  count?: PageCount,
): EventLogPage {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  const page: EventLogPage = {
    results: pageRows.map(toEntry),
    nextCursor: more && last !== undefined ? cursorAfter(last) : null,
  };
  if (count !== undefined) {
    page.count = count.count;
    page.countExact = count.countExact;
  }
  return page;
}
