import type { NewSqlRow } from '@eventlog/sql';
import type { Knex } from 'knex';

/** What a statement spends besides its rows: the INSERT, its column list and `RETURNING id`. */
const STATEMENT_OVERHEAD = 4096;
/** Assumed before the server is asked: MySQL 5.7's default, the smallest in use. */
const SMALLEST_DEFAULT_PACKET = 4 * 1024 * 1024;

/** What mysql2 escapes in a string literal (NUL, \b, \t, \n, \r, ^Z, quotes, backslash), by code. */
const ESCAPED = new Set([0, 8, 9, 10, 13, 26, 34, 39, 92]);

/** A bound on a value's size as SQL text without scanning it: at most 3 UTF-8 bytes per UTF-16 unit. */
const boundOf = (value: unknown): number => (typeof value === 'string' ? 3 * value.length + 4 : 24);

/** A value's size as mysql2 writes it into the statement: quoted, escaped UTF-8. */
function exactSizeOf(value: unknown): number {
  if (typeof value !== 'string') return 24;
  let escaped = 0;
  for (let i = 0; i < value.length; i++) if (ESCAPED.has(value.charCodeAt(i))) escaped++;
  return Buffer.byteLength(value) + escaped + 4;
}

function rowSize(row: NewSqlRow, size: (value: unknown) => number): number {
  let n = 4;
  for (const column in row) n += size(row[column]);
  return n;
}

/**
 * Splits rows into INSERT statements that fit MySQL's `max_allowed_packet`: mysql2 sends a
 * statement with its values written in, escaped, and the server closes the connection of a larger
 * one. The limit is asked once per storage (it is a server setting).
 */
export function mysqlPackets() {
  let limit: number | undefined;
  let asked: Promise<number> | undefined;

  const budget = (packet: number) => packet - STATEMENT_OVERHEAD;

  /** The size of `row` as SQL, or a bound of it when that fits `room`. */
  function sizeOf(row: NewSqlRow, room: number): number {
    const bound = rowSize(row, boundOf);
    return bound <= room ? bound : rowSize(row, exactSizeOf);
  }

  /** Ends of the groups of at most `maxRows` rows that each fit a packet of `packet` bytes. */
  function groups(rows: readonly NewSqlRow[], maxRows: number, packet: number): number[] {
    const room = budget(packet);
    const ends: number[] = [];
    let used = 0;
    let count = 0;
    for (let i = 0; i < rows.length; i++) {
      const size = sizeOf(rows[i] as NewSqlRow, room);
      if (size > room) {
        throw new Error(
          `an entry takes ${size} bytes as SQL, more than the server's max_allowed_packet (${packet} bytes) allows`,
        );
      }
      if (count > 0 && (used + size > room || count === maxRows)) {
        ends.push(i);
        used = 0;
        count = 0;
      }
      used += size;
      count++;
    }
    ends.push(rows.length);
    return ends;
  }

  return {
    /** True when `rows` fit one statement by the known limit (or the smallest default). */
    fitsOne(rows: readonly NewSqlRow[], maxRows: number): boolean {
      if (rows.length > maxRows) return false;
      const room = budget(limit ?? SMALLEST_DEFAULT_PACKET);
      let used = 0;
      for (const row of rows) {
        used += rowSize(row, boundOf);
        if (used > room) return false;
      }
      return true;
    },

    /**
     * The ends of the statements `rows` take, asking the server its limit on first use.
     *
     * @throws Error when one row alone is over the limit: it is refused before it is sent.
     */
    async split(db: Knex, rows: readonly NewSqlRow[], maxRows: number): Promise<number[]> {
      if (limit === undefined) {
        asked ??= db.raw('SELECT @@max_allowed_packet AS n').then(
          (result) => Number((result as [{ n: number | string }[]])[0][0]?.n),
          (error: unknown) => {
            asked = undefined;
            throw error;
          },
        );
        limit = await asked;
      }
      return groups(rows, maxRows, limit);
    },
  };
}
