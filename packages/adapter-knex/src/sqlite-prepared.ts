import type { Statement } from '@eventlog/sql';
import type { Knex } from 'knex';

/** A better-sqlite3 statement, as far as the session uses it. */
export interface SqliteStatement {
  raw(on: boolean): SqliteStatement;
  columns(): { name: string }[];
  all(bindings: readonly unknown[]): unknown[][];
  run(bindings: readonly unknown[]): { lastInsertRowid: number | bigint; changes: number };
}

/** A better-sqlite3 connection, as far as the session uses it. */
export interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  /** Wraps `fn` in a transaction, or a savepoint when one is open already. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
}

/** Statements a better-sqlite3 connection has prepared, by SQL text. */
const prepared = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();
/** The most statements kept per connection (a query's filters and limit make its SQL). */
const PREPARED_MAX = 100;

/**
 * The statement of `sql` on `connection`, prepared the first time and kept (knex prepares the
 * statement anew on every call).
 */
export function preparedOn(connection: SqliteConnection, sql: string): SqliteStatement {
  let cache = prepared.get(connection);
  if (!cache) {
    cache = new Map();
    prepared.set(connection, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    if (cache.size >= PREPARED_MAX) cache.clear();
    stmt = connection.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

/** What knex does to a binding before better-sqlite3 sees it. */
export const sqliteBindings = (statement: Statement): unknown[] =>
  statement.bindings.map((b) =>
    b instanceof Date ? b.valueOf() : typeof b === 'boolean' ? Number(b) : b,
  );

/**
 * Emits the event knex emits for every statement it runs, so query logs and `knex.on('query')`
 * listeners still see the statements run on the connection directly.
 */
export function emitQuery(db: Knex, connection: SqliteConnection, statement: Statement): void {
  const { __knexUid, __knexTxId } = connection as { __knexUid?: string; __knexTxId?: string };
  db.client.emit('query', {
    __knexUid,
    __knexTxId,
    method: 'raw',
    sql: statement.sql,
    bindings: statement.bindings,
    options: {},
  });
}

/** The statement a failed write ran, on its error's `sql` (where knex's message would hold it). */
function runOn(
  db: Knex,
  connection: SqliteConnection,
  statement: Statement,
): { lastInsertRowid: number | bigint; changes: number } {
  emitQuery(db, connection, statement);
  try {
    return preparedOn(connection, statement.sql).run(sqliteBindings(statement));
  } catch (error) {
    if (error instanceof Error) (error as { sql?: string }).sql ??= statement.sql;
    throw error;
  }
}

/**
 * Runs a write on better-sqlite3, on a connection of `db`'s pool (a transaction's own, when `db`
 * is one), its statement prepared once per connection: the rowid it inserted last and the rows it
 * changed. A large multi-row INSERT costs SQLite more to prepare than to run.
 */
export async function sqliteRun(
  db: Knex,
  statement: Statement,
): Promise<{ lastInsertRowid: number | bigint; changes: number }> {
  const connection = (await db.client.acquireConnection()) as SqliteConnection;
  try {
    return runOn(db, connection, statement);
  } finally {
    await db.client.releaseConnection(connection);
  }
}

/** Each connection's transaction wrapper, made once: better-sqlite3 builds one per call. */
const steps = new WeakMap<SqliteConnection, (run: () => string) => string>();

/**
 * `SqlSession.insertThen` on better-sqlite3, on a connection of `db`'s pool (a transaction's own,
 * when `db` is one): the statements run synchronously inside better-sqlite3's own transaction
 * wrapper (a savepoint when the connection is in a transaction already), prepared once per
 * connection. No other statement can run on the connection between them, and a failure rolls
 * back what the step wrote before it is rethrown.
 */
export async function sqliteInsertThen(
  db: Knex,
  insert: Statement,
  after: (id: string) => readonly Statement[],
): Promise<string> {
  const connection = (await db.client.acquireConnection()) as SqliteConnection;
  try {
    let step = steps.get(connection);
    if (!step) {
      step = connection.transaction((run: () => string) => run());
      steps.set(connection, step);
    }
    return step(() => {
      const id = String(runOn(db, connection, insert).lastInsertRowid);
      for (const statement of after(id)) runOn(db, connection, statement);
      return id;
    });
  } finally {
    await db.client.releaseConnection(connection);
  }
}
