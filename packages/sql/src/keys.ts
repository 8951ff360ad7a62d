import { ValidationError } from '@eventlog/core';
import { cursorInstant, decodeCursor, encodeCursor, TIMESTAMP_KEY } from '@eventlog/core/storage';

const ID_PATTERN = /^[1-9]\d{0,18}$/;
const MAX_ID = 9_223_372_036_854_775_807n;

/** True when `id` could be a key of the table (a positive 64-bit integer in decimal). */
export const isStoredId = (id: string): boolean => ID_PATTERN.test(id) && BigInt(id) <= MAX_ID;

/**
 * The `(timestamp key, id)` a cursor carries, validated so a forged one never reaches SQL: the
 * key must name a real instant (`cursorInstant`), the id a possible row id.
 *
 * @throws ValidationError on `cursor`.
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
 * The fewest characters (code points) the SQLite trigram table can serve: shorter searches scan.
 * PostgreSQL's trigram index has the same floor; its planner decides for itself.
 */
export const MIN_INDEXED_SEARCH = 3;

/** True when `search` is long enough for the trigram index. */
export const indexableSearch = (search: string): boolean =>
  [...search].length >= MIN_INDEXED_SEARCH;

/**
 * Up to `max` distinct three-character pieces (code points) of `search`: the first, the last,
 * then the others from the start; each is a substring of every message that holds `search`, so the FTS rows
 * of one are a superset of the search's matches. None when `search` is shorter than three.
 */
export function searchPieces(search: string, max: number): string[] {
  const chars = [...search];
  const count = chars.length - MIN_INDEXED_SEARCH + 1;
  if (count < 1) return [];
  const starts = [0, count - 1, ...Array.from({ length: count }, (_, i) => i)];
  const pieces = new Set<string>();
  for (const start of starts) {
    if (pieces.size >= max) break;
    pieces.add(chars.slice(start, start + MIN_INDEXED_SEARCH).join(''));
  }
  return [...pieces];
}

/**
 * Up to `max` pieces of `search` (`searchPieces`, in its order) that PostgreSQL's trigram index
 * looks up as one trigram each: three ASCII letters or digits. `pg_trgm` splits words at other
 * characters, so a piece holding one gives the index nothing to narrow by.
 */
export const trigramPieces = (search: string, max: number): string[] =>
  searchPieces(search, Number.POSITIVE_INFINITY)
    .filter((piece) => /^[A-Za-z0-9]{3}$/.test(piece))
    .slice(0, max);

/** `search` as an FTS5 phrase: with the trigram tokenizer, a substring of the indexed text. */
export const ftsPhrase = (search: string): string => `"${search.replace(/"/g, '""')}"`;
