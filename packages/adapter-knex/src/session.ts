import type { ColumnRows, DialectKind, SqlSession, Statement } from '@eventlog/sql';
import type { Knex } from 'knex';
import {
  emitQuery,
  preparedOn,
  type SqliteConnection,
  sqliteBindings,
  sqliteInsertThen,
  sqliteRun,
} from './sqlite-prepared';

/** A `SqlSession` on a knex instance or transaction; `db` serves the insert path's builder. */
export interface KnexSession extends SqlSession {
  readonly db: Knex;
}

/** The drivers whose answer to a raw statement the session reads. */
export type Driver = 'pg' | 'better-sqlite3' | 'sqlite3' | 'mysql2';

/** The rows of a raw statement, as each driver hands them over through `knex.raw`. */
function rowsOf<T>(result: unknown, kind: DialectKind): T[] {
  if (kind === 'postgres') return (result as { rows: T[] }).rows;
  if (kind === 'mysql') return (result as [T[]])[0];
  return result as T[];
}

/** The rows a raw write affected, for drivers that report them with its result. */
function countOf(result: unknown, kind: DialectKind): number {
  if (kind === 'postgres') return Number((result as { rowCount: number | null }).rowCount ?? 0);
  if (kind === 'mysql') return Number((result as [{ affectedRows: number }])[0].affectedRows);
  return Number((result as { changes: number }).changes);
}

/**
 * mysql2's options for a statement: BIGINT and DECIMAL as strings, so ids above 2^53 stay exact
 * whatever the pool's settings (it reads them as JS numbers by default).
 */
export const MYSQL_BIG_NUMBERS = { supportBigNumbers: true, bigNumberStrings: true } as const;

/** `sql` with `bindings` as knex runs it, with exact big numbers on MySQL. */
export function rawOf(db: Knex, kind: DialectKind, sql: string, bindings: readonly unknown[]) {
  const raw = db.raw(sql, bindings as Knex.Value[]);
  return kind === 'mysql' ? raw.options(MYSQL_BIG_NUMBERS) : raw;
}

/**
 * Runs a read on better-sqlite3 with rows as arrays, on a connection of `db`'s pool (a
 * transaction's own, when `db` is one), its statement prepared once per connection.
 */
async function sqliteColumns(db: Knex, statement: Statement): Promise<ColumnRows> {
  const connection = (await db.client.acquireConnection()) as SqliteConnection;
  try {
    const stmt = preparedOn(connection, statement.sql).raw(true);
    const columns = stmt.columns().map((c) => c.name);
    emitQuery(db, connection, statement);
    return { columns, rows: stmt.all(sqliteBindings(statement)) };
  } finally {
    await db.client.releaseConnection(connection);
  }
}

/** pg's type parsers, as its query config takes them. */
interface PgTypes {
  getTypeParser(oid: number, format?: string): (value: string) => unknown;
}

/** PostgreSQL's `timestamptz` and `timestamp` type ids. */
const TIMESTAMP_OIDS: readonly number[] = [1184, 1114];
const asText = (value: string) => value;

const readTypes = new WeakMap<object, PgTypes>();

/**
 * The parsers of a page read: the pool's own (its connection's `types`, else pg's global ones),
 * except that timestamps stay text. A read takes its timestamp from `ts_key`, so the Date pg
 * would build for the `timestamp` column of every row is never looked at.
 */
function pgReadTypes(db: Knex): PgTypes | undefined {
  const client = db.client as {
    driver?: { types?: PgTypes };
    connectionSettings?: { types?: PgTypes };
  };
  const base = client.connectionSettings?.types ?? client.driver?.types;
  if (base === undefined) return undefined;
  let types = readTypes.get(base);
  if (types === undefined) {
    types = {
      getTypeParser: (oid, format) =>
        TIMESTAMP_OIDS.includes(oid) ? asText : base.getTypeParser(oid, format),
    };
    readTypes.set(base, types);
  }
  return types;
}

/**
 * Runs a read on pg with rows as arrays (`rowMode: 'array'`), through knex: prepared once per
 * connection when the statement is named.
 */
async function pgColumns(db: Knex, statement: Statement): Promise<ColumnRows> {
  const options = { rowMode: 'array', types: pgReadTypes(db), name: statement.name };
  const result = (await db
    .raw(statement.sql, statement.bindings as Knex.Value[])
    .options(options)) as { fields: { name: string }[]; rows: unknown[][] };
  return { columns: result.fields.map((f) => f.name), rows: result.rows };
}

/** The session of `db` (the knex instance, or a transaction of it). */
export function knexSession(db: Knex, kind: DialectKind, driver: Driver | undefined): KnexSession {
  const raw = (statement: Statement) => {
    const query = rawOf(db, kind, statement.sql, statement.bindings);
    // pg prepares a query that has a name once per connection, then only binds and executes it.
    return driver === 'pg' && statement.name ? query.options({ name: statement.name }) : query;
  };
  return {
    db,
    async query<T>(statement: Statement) {
      return rowsOf<T>(await raw(statement), kind);
    },
    ...(driver === 'better-sqlite3' && {
      read: (s: Statement) => sqliteColumns(db, s),
      insertThen: (insert: Statement, after: (id: string) => readonly Statement[]) =>
        sqliteInsertThen(db, insert, after),
    }),
    ...(driver === 'pg' && { read: (s: Statement) => pgColumns(db, s) }),
    async execute(statement: Statement) {
      if (driver === 'better-sqlite3') return (await sqliteRun(db, statement)).changes;
      if (driver !== 'sqlite3') return countOf(await raw(statement), kind);
      // knex runs node-sqlite3's raw statements with `all`, which reports no row count: ask
      // SQLite on the same connection, which a transaction pins.
      return db.transaction(async (trx) => {
        await trx.raw(statement.sql, statement.bindings as Knex.Value[]);
        const [row] = (await trx.raw('SELECT changes() AS n')) as { n: number }[];
        return Number(row?.n ?? 0);
      });
    },
    transaction(fn) {
      return db.transaction((trx) => fn(knexSession(trx, kind, driver) as never));
    },
  };
}
