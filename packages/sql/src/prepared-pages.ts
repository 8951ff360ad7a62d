import type { StorageQuery } from '@eventlog/core/storage';
import { preparedName, type Statement } from './statement';

/** Distinct page texts a storage names at most: each is prepared on every connection it runs on. */
const MAX_PREPARED_PAGES = 64;

/**
 * True when one plan serves `query`'s page whatever its values: at most one equality filter, of a
 * single value, from the `(…, timestamp, id)` indexes (tool, actor, object, batch, one changed
 * key), walked in keyset order within the time range and after the cursor. A generic plan made
 * once for such a text is the plan PostgreSQL would make for any of its values; a page that
 * chooses between indexes by their selectivity, searches, or skips an inlined OFFSET is not named.
 */
function oneIndexPage(query: StorageQuery): boolean {
  if (query.search !== undefined || query.action !== undefined || query.offset > 0) return false;
  const families = [
    query.tool,
    query.actorId,
    query.objectType,
    query.batchId,
    query.changedKey,
  ].filter((f) => f !== undefined);
  if (families.length > 1) return false;
  const [only] = families;
  return !Array.isArray(only) || only.length === 1;
}

/**
 * Names the page statements worth preparing (`Statement.name`, which pg sessions prepare once
 * per connection, so the server parses and plans them once): pages `oneIndexPage` accepts, up to
 * `MAX_PREPARED_PAGES` distinct texts per storage; the others run unnamed.
 */
export function preparedPages(): (query: StorageQuery, page: Statement) => Statement {
  const names = new Map<string, string>();
  return (query, page) => {
    if (!oneIndexPage(query)) return page;
    let name = names.get(page.sql);
    if (name === undefined) {
      if (names.size >= MAX_PREPARED_PAGES) return page;
      name = preparedName(page.sql);
      names.set(page.sql, name);
    }
    return { ...page, name };
  };
}
