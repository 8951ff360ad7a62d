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

/** An INSERT compiled once by knex, run again with fresh bindings. */
interface Statement {
  sql: string;
  /** The columns in the order of one row's placeholders. */
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
 * Compiles an INSERT of `count` rows with `columns` by letting knex build it once with each
 * column's name as its value: the bindings then name the column of every placeholder, in knex's
 * order. Null (use the builder) when that order is not row after row of the same columns. The
 * SQL has no `?` but its placeholders: `tableNameOf` refuses table names holding one.
 */
function compile(
  knex: Knex,
  table: string,
  columns: string[],
  count: number,
  returning: boolean,
): Statement | null {
  const probe = Object.fromEntries(columns.map((c) => [c, c]));
  const query = knex(table).insert(count === 1 ? probe : new Array(count).fill(probe));
  if (returning) query.returning('id');
  const { sql, bindings } = query.toSQL();
  const order = bindings.slice(0, columns.length) as string[];
  const rowByRow =
    bindings.length === count * columns.length &&
    bindings.every((b, i) => b === order[i % columns.length]);
  return rowByRow ? { sql, columns: order } : null;
}

function bindingsOf(statement: Statement, rows: readonly NewEventLogRow[]): unknown[] {
  const { columns } = statement;
  const out: unknown[] = new Array(rows.length * columns.length);
  let k = 0;
  for (const row of rows) {
    const values = row as unknown as Record<string, unknown>;
    for (const column of columns) out[k++] = values[column];
  }
  return out;
}

/** The entries of `rows` written with these ids, which the database assigned in VALUES order. */
function storedWithIds(
  ids: readonly { id: number | string | bigint }[],
  entries: readonly NewEventLog[],
  rows: readonly NewEventLogRow[],
): EventLog[] {
  if (rows.length === 1) {
    return [
      insertedEntry(String(ids[0]?.id), entries[0] as NewEventLog, rows[0] as NewEventLogRow),
    ];
  }
  // RETURNING order is not promised by SQL; ids are assigned in VALUES order, so sort them.
  const sorted = ids.map((r) => toBigInt(r.id)).sort(byValue);
  const stored: EventLog[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    stored[i] = insertedEntry(
      String(sorted[i]),
      entries[i] as NewEventLog,
      rows[i] as NewEventLogRow,
    );
  }
  return stored;
}

/**
 * The `ChunkWriter` of one table. On better-sqlite3 and pg, a single row and a full chunk run as
 * SQL that knex compiled once for the table (a prepared-statement cache, in effect): compiling
 * the same INSERT again on every call was a tenth of a single-row write and of a 500-row chunk
 * on SQLite (bench/RESULTS.md, knex). Other drivers and other row counts use the builder.
 * `selectRow` reads rows back where the dialect has no RETURNING (MySQL).
 */
export function chunkWriter(
  knex: Knex,
  table: string,
  dialect: Dialect,
  selectRow: (db: Knex) => Knex.QueryBuilder,
): ChunkWriter {
  const raw = rawResultOf(knex, dialect);
  /** By row count and column list; null marks a shape the builder must handle. */
  const statements = new Map<string, Statement | null>();

  function statementFor(rows: readonly NewEventLogRow[]): Statement | null {
    if (raw === null || (rows.length !== 1 && rows.length !== dialect.chunkSize)) return null;
    const columns = Object.keys(rows[0] as NewEventLogRow);
    const key = `${rows.length}:${columns.join()}`;
    let statement = statements.get(key);
    if (statement === undefined) {
      // One row on SQLite: both drivers report its rowid (the statement's own, on this
      // connection), and a plain INSERT runs without RETURNING's result set, the dearest part of
      // a single-row write there.
      const returning = !(raw === 'better-sqlite3' && rows.length === 1);
      statement = compile(knex, table, columns, rows.length, returning);
      statements.set(key, statement);
    }
    return statement;
  }

  return async (db, entries, rows) => {
    const statement = statementFor(rows);
    if (statement !== null) {
      const result = (await db.raw(statement.sql, bindingsOf(statement, rows) as Knex.Value[])) as
        | { lastInsertRowid: number | bigint }
        | { id: number | string }[]
        | { rows: { id: number | string }[] };
      if ('lastInsertRowid' in result) {
        return storedWithIds([{ id: result.lastInsertRowid }], entries, rows);
      }
      return storedWithIds(Array.isArray(result) ? result : result.rows, entries, rows);
    }
    if (rows.length === 1 && dialect.kind === 'sqlite') {
      const [rowid] = (await db(table).insert(rows)) as (number | bigint)[];
      return storedWithIds([{ id: rowid as number | bigint }], entries, rows);
    }
    if (dialect.returning) {
      // Only the ids come back: the rest is what was just written, so no column is shipped back
      // through the driver.
      const ids = (await db(table).insert(rows).returning('id')) as { id: number | string }[];
      return storedWithIds(ids, entries, rows);
    }
    // MySQL: no RETURNING; a multi-row insert gets consecutive ids starting at the reported one.
    const [first] = (await db(table).insert(rows)) as number[];
    const start = BigInt(first ?? 0);
    const stored = (await selectRow(db)
      .where('id', '>=', String(start))
      .andWhere('id', '<', String(start + BigInt(rows.length)))
      .orderBy('id')) as EventLogRow[];
    return stored.map(fromRow);
  };
}
