import { ConfigurationError } from './errors';
import {
  DEFAULT_COUNT_LIMIT,
  type EventLogPage,
  MAX_COUNT_LIMIT,
  type StorageQuery,
} from './schemas';

/** The count fields of a page: both or neither. */
export type PageCount = Required<Pick<EventLogPage, 'count' | 'countExact'>>;

const limitOf = (query: StorageQuery): number => query.countLimit ?? DEFAULT_COUNT_LIMIT;

/**
 * How many matching entries `find(query)` needs to count: `countLimit + 1` for a capped count
 * (`withCount: true`; the one past the limit tells that more match), `null` for every match
 * (`withCount: 'exact'`), `0` when no count was asked. A storage stops counting there, e.g.
 * `SELECT COUNT(*) FROM (SELECT 1 FROM … WHERE … LIMIT n)`, or MongoDB's
 * `countDocuments(filter, { limit: n })`.
 */
export function countLimitOf(query: StorageQuery): number | null {
  if (query.withCount === 'exact') return null;
  return query.withCount ? limitOf(query) + 1 : 0;
}

/**
 * The page's `count` and `countExact` from `counted`, the matches a storage counted up to
 * `countLimitOf(query)`; `undefined` when no count was asked (or `counted` is undefined).
 */
export function pageCount(query: StorageQuery, counted: number | undefined): PageCount | undefined {
  if (counted === undefined || !query.withCount) return undefined;
  if (query.withCount === true && counted > limitOf(query)) {
    return { count: limitOf(query), countExact: false };
  }
  return { count: counted, countExact: true };
}

/** The service's `countLimit` option, checked: a whole number from 1 to `MAX_COUNT_LIMIT`. */
export function checkCountLimit(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_COUNT_LIMIT) {
    throw new ConfigurationError(`countLimit must be a whole number from 1 to ${MAX_COUNT_LIMIT}`);
  }
  return value;
}
