import type { EventLog, NewEventLog } from '@eventlog/core';
import type { Knex } from 'knex';
import type { Dialect } from './dialect';
import { type EventLogRow, fromRow, insertedEntry, type NewEventLogRow } from './row';

const toBigInt = (id: number | string | bigint): bigint => BigInt(id);
const byValue = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Inserts one statement's worth of rows (at most `dialect.chunkSize`) through `db` and returns the
 * entries as stored, in input order.
 */
export type ChunkWriter = (
  db: Knex,
  entries: readonly NewEventLog[],
  rows: readonly NewEventLogRow[],
) => Promise<EventLog[]>;

/** A single-row INSERT compiled once by knex, run again with fresh bindings. */
interface Statement {
  sql: string;
  /** The columns in the order of the placeholders. */
  columns: string[];
}

/** How a raw INSERT reports what it wrote, for the drivers whose answer the writer can read. */
type RawResult = 'better-sqlite3' | 'pg';

function rawResultOf(knex: Knex, dialect: Dialect): RawResult | null {
  const driver = (knex.client as { driverName?: string }).driverName;
  if (dialect.kind === 'sqlite' && driver === 'better-sqlite3') return driver;
  if (dialect.kind === 'postgres' && driver === 'pg') return driver;
  return null;
}

/**
 * Compiles a single-row INSERT of `columns` by letting knex build it once with each column's
 * name as its value: the bindings then name the column of each placeholder, in knex's order.
 * The SQL has no `?` but its placeholders: `tableNameOf` refuses table names holding one.
 */
function compile(knex: Knex, table: string, columns: string[], returning: boolean): Statement {
  const query = knex(table).insert(Object.fromEntries(columns.map((c) => [c, c])));
  if (returning) query.returning('id');
  const { sql, bindings } = query.toSQL();
  return { sql, columns: bindings as string[] };
}

/** The entries of `rows` as stored under `ids` (in the same order). */
function storedAs(
  ids: readonly string[],
  entries: readonly NewEventLog[],
  rows: readonly NewEventLogRow[],
): EventLog[] {
  const stored: EventLog[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    stored[i] = insertedEntry(
      ids[i] as string,
      entries[i] as NewEventLog,
      rows[i] as NewEventLogRow,
    );
  }
  return stored;
}

/** RETURNING's ids in VALUES order: SQL promises no order of RETURNING, but ids grow with VALUES. */
function returnedIds(returned: readonly { id: number | string }[]): string[] {
  if (returned.length === 1) return [String(returned[0]?.id)];
  return returned
    .map((r) => toBigInt(r.id))
    .sort(byValue)
    .map((id) => String(id));
}

/**
 * The ids SQLite gave the rows of one INSERT, from the last: it numbers them one after the other
 * in VALUES order (one writer at a time; `increments()` is AUTOINCREMENT, so ids never go back).
 */
function idsEndingAt(last: number | bigint, count: number): string[] {
  if (count === 1) return [String(last)];
  const first = BigInt(last) - BigInt(count - 1);
  return Array.from({ length: count }, (_, i) => String(first + BigInt(i)));
}

/**
 * The `ChunkWriter` of one table. On better-sqlite3 and pg a single row, the `log()` path, runs as
 * SQL that knex compiled once for the table (a statement cache, in effect): building the same
 * INSERT again on every call was 13-22 µs of a ~200 µs write on SQLite (bench/RESULTS.md, knex).
 * Multi-row chunks keep the builder: knex.raw() binds 26,000 values slower than it compiles them.
 * `selectRow` reads rows back where the dialect has no RETURNING (MySQL).
 */
export function chunkWriter(
  knex: Knex,
  table: string,
  dialect: Dialect,
  selectRow: (db: Knex) => Knex.QueryBuilder,
): ChunkWriter {
  const raw = rawResultOf(knex, dialect);
  /** By column list: plain rows and chained rows have their own. */
  const statements = new Map<string, Statement>();

  function statementFor(row: NewEventLogRow): Statement {
    const columns = Object.keys(row);
    const key = columns.join();
    let statement = statements.get(key);
    if (statement === undefined) {
      // On SQLite both drivers report the row's rowid (the statement's own, on this connection),
      // and a plain INSERT runs without RETURNING's result set, the dearest part of a single-row
      // write there.
      statement = compile(knex, table, columns, raw === 'pg');
      statements.set(key, statement);
    }
    return statement;
  }

  return async (db, entries, rows) => {
    if (raw !== null && rows.length === 1) {
      const row = rows[0] as NewEventLogRow;
      const { sql, columns } = statementFor(row);
      const values = row as unknown as Record<string, Knex.Value>;
      const result = (await db.raw(
        sql,
        columns.map((c) => values[c] as Knex.Value),
      )) as { lastInsertRowid: number | bigint } | { rows: { id: number | string }[] };
      const ids = 'rows' in result ? returnedIds(result.rows) : [String(result.lastInsertRowid)];
      return storedAs(ids, entries, rows);
    }
    if (dialect.kind === 'sqlite') {
      // The last rowid gives every id: no RETURNING result set, about 5% of a 500-row write.
      const [last] = (await db(table).insert(rows as NewEventLogRow[])) as (number | bigint)[];
      return storedAs(idsEndingAt(last as number | bigint, rows.length), entries, rows);
    }
    if (dialect.returning) {
      // Only the ids come back: the rest is what was just written, so no column is shipped back
      // through the driver.
      const returned = (await db(table)
        .insert(rows as NewEventLogRow[])
        .returning('id')) as { id: number | string }[];
      return storedAs(returnedIds(returned), entries, rows);
    }
    // MySQL: no RETURNING; a multi-row insert gets consecutive ids starting at the reported one.
    const [first] = (await db(table).insert(rows as NewEventLogRow[])) as number[];
    const start = BigInt(first ?? 0);
    const stored = (await selectRow(db)
      .where('id', '>=', String(start))
      .andWhere('id', '<', String(start + BigInt(rows.length)))
      .orderBy('id')) as EventLogRow[];
    return stored.map(fromRow);
  };
}
