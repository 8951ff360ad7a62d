import type { EventLog } from '@eventlog/core';
import type { NewEventLog } from '@eventlog/core/storage';
import { type DialectKind, insertedEntry, type NewSqlRow, preparedName } from '@eventlog/sql';
import type { Knex } from 'knex';
import { type Driver, rawOf } from './session';
import { sqliteRun } from './sqlite-prepared';

/** Rows per INSERT statement. SQLite: knex compiles multi-row inserts to a compound SELECT,
 * limited to 500 terms. PostgreSQL: 65,535 bind parameters per statement (17 per chained row).
 */
export const CHUNK_SIZE: Record<DialectKind, number> = { postgres: 2000, sqlite: 500, mysql: 1000 };

/**
 * Inserts one statement's worth of rows (at most `CHUNK_SIZE`) through `db` and returns the
 * entries as stored, in input order.
 */
export type ChunkWriter = (
  db: Knex,
  entries: readonly NewEventLog[],
  rows: readonly NewSqlRow[],
) => Promise<EventLog[]>;

/** A single-row INSERT compiled once by knex, run again with fresh bindings. */
interface Statement {
  sql: string;
  /** The columns in the order of the placeholders. */
  columns: string[];
  /** What makes it insert one more row (`, (?, ?, ...)`), or null where it cannot grow. */
  nextRow: string | null;
  /** Its name as a prepared statement (`Statement.name`). */
  name: string;
}

/** MariaDB 10.5 and later have `INSERT ... RETURNING`; MySQL has none. */
function isMariadbWithReturning(version: unknown): boolean {
  const [, major = '0', minor = '0'] = /^(\d+)\.(\d+)/.exec(String(version)) ?? [];
  const [x, y] = [Number(major), Number(minor)];
  return /mariadb/i.test(String(version)) && (x > 10 || (x === 10 && y >= 5));
}

/**
 * A server setting read once (the first time it is needed, on the caller's connection) and kept;
 * a failed read is asked again next time.
 */
function askOnce<T>(parse: (value: unknown) => T, sql: string): (db: Knex) => Promise<T> {
  let answer: Promise<T> | undefined;
  return (db) => {
    answer ??= db.raw(sql).then(
      (result) => parse((result as [{ v: unknown }[]])[0][0]?.v),
      (error: unknown) => {
        answer = undefined;
        throw error;
      },
    );
    return answer;
  };
}

/** The `VALUES (?, ..., ?)` a compiled single-row INSERT ends with. */
const ONE_ROW = /values (\((?:\?, )*\?\))$/;

/**
 * Compiles a single-row INSERT of `columns` by letting knex build it once with each column's
 * name as its value: the bindings then name the column of each placeholder, in knex's order.
 * The SQL has no `?` but its placeholders: `tableNameOf` refuses table names holding one.
 */
function compile(knex: Knex, table: string, columns: string[], returning: boolean): Statement {
  const query = knex(table).insert(Object.fromEntries(columns.map((c) => [c, c])));
  if (returning) query.returning('id');
  const { sql, bindings } = query.toSQL();
  const values = ONE_ROW.exec(sql)?.[1];
  return {
    sql,
    columns: bindings as string[],
    nextRow: values ? `, ${values}` : null,
    name: preparedName(sql),
  };
}

function bindingsOf(columns: readonly string[], rows: readonly NewSqlRow[]): Knex.Value[] {
  const out: Knex.Value[] = new Array(rows.length * columns.length);
  let k = 0;
  for (const row of rows) {
    const values = row as unknown as Record<string, Knex.Value>;
    for (const column of columns) out[k++] = values[column] as Knex.Value;
  }
  return out;
}

/** The entries of `rows` as stored under `ids` (in the same order). */
function storedAs(
  ids: readonly string[],
  entries: readonly NewEventLog[],
  rows: readonly NewSqlRow[],
): EventLog[] {
  const stored: EventLog[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    stored[i] = insertedEntry(ids[i] as string, entries[i] as NewEventLog, rows[i] as NewSqlRow);
  }
  return stored;
}

const byValue = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/** RETURNING's ids in VALUES order: SQL promises no order of RETURNING, but ids grow with VALUES. */
function returnedIds(returned: readonly { id: number | string }[]): string[] {
  if (returned.length === 1) return [String(returned[0]?.id)];
  return returned
    .map((r) => BigInt(r.id))
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
 * The `ChunkWriter` of one table. On better-sqlite3 and pg, a single row (the `log()` path) runs
 * as SQL that knex compiled once for the table (on pg a named prepared statement), a statement
 * cache in effect (building the same
 * INSERT on every call is a measurable share of a write). On better-sqlite3 a chunk runs that
 * statement grown to `VALUES (...), (...)`, which SQLite prepares faster than knex's compound
 * `SELECT ... UNION ALL` form, on the connection directly with the statement prepared once per
 * connection (`sqliteRun`: every full chunk has the same SQL). Other drivers and PostgreSQL chunks use the builder (knex.raw()
 * binds thousands of values on pg slower than the builder compiles them). On MariaDB 10.5+
 * (mysql2) the grown statement ends in `RETURNING id`, so ids are exact whatever
 * `innodb_autoinc_lock_mode` says.
 */
export function chunkWriter(
  knex: Knex,
  table: string,
  kind: DialectKind,
  driver: Driver | undefined,
): ChunkWriter {
  /** By column list: plain rows and chained rows have their own. */
  const statements = new Map<string, Statement>();
  /** Whether the MySQL-dialect server has RETURNING; asked once, on the caller's connection. */
  const hasReturning = askOnce((v) => isMariadbWithReturning(v), 'SELECT VERSION() AS v');
  /** The step between a MySQL multi-row INSERT's ids (Group Replication: 7); asked once. */
  const idStep = askOnce((v) => BigInt(String(v)), 'SELECT @@auto_increment_increment AS v');

  function statementFor(row: NewSqlRow): Statement {
    const columns = Object.keys(row);
    const key = columns.join();
    let statement = statements.get(key);
    if (statement === undefined) {
      // SQLite reports the last rowid of an INSERT, so it needs no RETURNING result set.
      statement = compile(knex, table, columns, driver === 'pg');
      statements.set(key, statement);
    }
    return statement;
  }

  return async (db, entries, rows) => {
    const first = rows[0] as NewSqlRow;
    if (driver === 'better-sqlite3') {
      const { sql, columns, nextRow } = statementFor(first);
      if (rows.length === 1 || nextRow !== null) {
        const statement =
          rows.length === 1 ? sql : sql + (nextRow as string).repeat(rows.length - 1);
        const result = await sqliteRun(db, { sql: statement, bindings: bindingsOf(columns, rows) });
        return storedAs(idsEndingAt(result.lastInsertRowid, rows.length), entries, rows);
      }
    }
    if (driver === 'pg' && rows.length === 1) {
      // Named: pg prepares it once per connection, then only binds and executes it.
      const { sql, columns, name } = statementFor(first);
      const result = (await db.raw(sql, bindingsOf(columns, rows)).options({ name })) as {
        rows: { id: number | string }[];
      };
      return storedAs(returnedIds(result.rows), entries, rows);
    }
    if (driver === 'mysql2' && (await hasReturning(db))) {
      const { sql, columns, nextRow } = statementFor(first);
      if (nextRow !== null) {
        const statement = `${sql}${nextRow.repeat(rows.length - 1)} RETURNING id`;
        const [returned] = (await rawOf(db, kind, statement, bindingsOf(columns, rows))) as [
          { id: number | string }[],
        ];
        return storedAs(returnedIds(returned), entries, rows);
      }
    }
    if (kind === 'sqlite') {
      // The last rowid gives every id: no RETURNING result set to ship back.
      const [last] = (await db(table).insert(rows as NewSqlRow[])) as (number | bigint)[];
      return storedAs(idsEndingAt(last as number | bigint, rows.length), entries, rows);
    }
    if (kind === 'postgres') {
      // Only the ids come back: the rest is what was just written.
      const returned = (await db(table)
        .insert(rows as NewSqlRow[])
        .returning('id')) as { id: number | string }[];
      return storedAs(returnedIds(returned), entries, rows);
    }
    // MySQL: no RETURNING; a multi-row insert's ids follow the reported first one, one
    // `auto_increment_increment` apart (innodb_autoinc_lock_mode 0 or 1; see the README).
    const [firstId] = (await db(table).insert(rows as NewSqlRow[])) as (number | string)[];
    const start = BigInt(firstId ?? 0);
    const step = rows.length === 1 ? 1n : await idStep(db);
    return storedAs(
      rows.map((_, i) => String(start + BigInt(i) * step)),
      entries,
      rows,
    );
  };
}
