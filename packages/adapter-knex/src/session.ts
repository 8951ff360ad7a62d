import type { ColumnRows, DialectKind, SqlSession, Statement } from '@eventlog/sql';
import type { Knex } from 'knex';

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

/** A better-sqlite3 statement, as far as the reads use it. */
interface SqliteStatement {
  raw(on: boolean): SqliteStatement;
  columns(): { name: string }[];
  all(bindings: readonly unknown[]): unknown[][];
}
type SqliteConnection = { prepare(sql: string): SqliteStatement };

/** Statements a better-sqlite3 connection has prepared for reads, by SQL text. */
const prepared = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();
/** The most statements kept per connection (a query's filters and limit make its SQL). */
const PREPARED_MAX = 100;

/**
 * Runs a read on better-sqlite3 with rows as arrays, on a connection of `db`'s pool (a
 * transaction's own, when `db` is one). knex prepares the statement anew on every call; here it
 * is prepared once per connection and SQL text and kept.
 */
async function sqliteColumns(db: Knex, statement: Statement): Promise<ColumnRows> {
  const connection = (await db.client.acquireConnection()) as SqliteConnection;
  try {
    let cache = prepared.get(connection);
    if (!cache) {
      cache = new Map();
      prepared.set(connection, cache);
    }
    let stmt = cache.get(statement.sql);
    if (!stmt) {
      if (cache.size >= PREPARED_MAX) cache.clear();
      stmt = connection.prepare(statement.sql).raw(true);
      cache.set(statement.sql, stmt);
    }
    const columns = stmt.columns().map((c) => c.name);
    // What knex does to a binding before better-sqlite3 sees it.
    const bindings = statement.bindings.map((b) =>
      b instanceof Date ? b.valueOf() : typeof b === 'boolean' ? Number(b) : b,
    );
    // The event knex emits for every statement it runs: query logs and `knex.on('query')`
    // listeners still see the reads.
    const { __knexUid, __knexTxId } = connection as { __knexUid?: string; __knexTxId?: string };
    db.client.emit('query', {
      __knexUid,
      __knexTxId,
      method: 'raw',
      sql: statement.sql,
      bindings: statement.bindings,
      options: {},
    });
    return { columns, rows: stmt.all(bindings) };
  } finally {
    await db.client.releaseConnection(connection);
  }
}

/** Runs a read on pg with rows as arrays (`rowMode: 'array'`), through knex. */
async function pgColumns(db: Knex, statement: Statement): Promise<ColumnRows> {
  const result = (await db
    .raw(statement.sql, statement.bindings as Knex.Value[])
    .options({ rowMode: 'array' })) as { fields: { name: string }[]; rows: unknown[][] };
  return { columns: result.fields.map((f) => f.name), rows: result.rows };
}

/** The session of `db` (the knex instance, or a transaction of it). */
export function knexSession(db: Knex, kind: DialectKind, driver: Driver | undefined): KnexSession {
  const raw = (statement: Statement) => rawOf(db, kind, statement.sql, statement.bindings);
  return {
    db,
    async query<T>(statement: Statement) {
      return rowsOf<T>(await raw(statement), kind);
    },
    ...(driver === 'better-sqlite3' && { read: (s: Statement) => sqliteColumns(db, s) }),
    ...(driver === 'pg' && { read: (s: Statement) => pgColumns(db, s) }),
    async execute(statement: Statement) {
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
