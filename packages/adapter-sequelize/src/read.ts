import type { ColumnRows, DialectKind, SqlRow, Statement } from '@eventlog/sql';
import type { Sequelize } from 'sequelize';

/** What the reads use of a Sequelize instance beyond its public types. */
interface SequelizeInternals {
  options: {
    logging?: unknown;
    benchmark?: boolean;
    dialectOptions?: { prependSearchPath?: boolean };
  };
  connectionManager: {
    getConnection(options: { type: 'SELECT' }): Promise<unknown>;
    releaseConnection(connection: unknown): void;
  };
}

type Rows = SqlRow[] | ColumnRows;

/** A node-sqlite3 database, as far as the reads use it. */
interface Sqlite3Database {
  all(sql: string, params: object, callback: (error: Error | null, rows: SqlRow[]) => void): void;
}

/** A pg client, as far as the reads use it. */
interface PgClient {
  query(config: { text: string; values: readonly unknown[]; rowMode: 'array' }): Promise<{
    fields: { name: string }[];
    rows: unknown[][];
  }>;
}

/**
 * True when `sequelize.query` would do nothing to a raw SELECT outside a transaction but run it:
 * nothing logs it or times it, no `beforeQuery` / `afterQuery` hook watches it, no search path
 * is prepended to it, and no CLS-managed transaction (`Sequelize.useCLS`) would claim it.
 */
function plain(sequelize: Sequelize): boolean {
  const { options } = sequelize as unknown as SequelizeInternals;
  const cls = (sequelize.constructor as { _cls?: { get(key: string): unknown } })._cls;
  return (
    !options.logging &&
    !options.benchmark &&
    !options.dialectOptions?.prependSearchPath &&
    !sequelize.hasHook('beforeQuery') &&
    !sequelize.hasHook('afterQuery') &&
    cls?.get('transaction') === undefined
  );
}

/** node-sqlite3's rows by column name; the `$n` placeholders bound by name, as Sequelize does. */
function sqlite3Rows(connection: unknown, statement: Statement): Promise<SqlRow[]> {
  const params: Record<string, unknown> = {};
  statement.bindings.forEach((value, i) => {
    params[`$${i + 1}`] = typeof value === 'bigint' ? value.toString() : value;
  });
  return new Promise((resolve, reject) => {
    (connection as Sqlite3Database).all(statement.sql, params, (error, rows) =>
      error ? reject(error) : resolve(rows),
    );
  });
}

/** pg's rows as arrays (`rowMode: 'array'`), with the names of their columns. */
async function pgRows(connection: unknown, statement: Statement): Promise<ColumnRows> {
  const result = await (connection as PgClient).query({
    text: statement.sql,
    values: statement.bindings,
    rowMode: 'array',
  });
  return { columns: result.fields.map((f) => f.name), rows: result.rows };
}

/**
 * The `SqlSession.read` of the database outside any transaction: a SELECT sent straight to the
 * driver on the connection `sequelize.query` would take from Sequelize's connection manager
 * (the read replica when there is one), rows left as the driver builds them (pg: as arrays),
 * without the per-call option handling, bind parsing and per-row copy `sequelize.query` adds.
 * Whenever `sequelize.query` would do more than run it (see `plain`), `query` runs it instead;
 * so does a statement the driver fails, so the error is Sequelize's own (a read may run twice).
 */
export function driverRead(
  sequelize: Sequelize,
  kind: DialectKind,
  query: (statement: Statement) => Promise<SqlRow[]>,
): (statement: Statement) => Promise<Rows> {
  const manager = (sequelize as unknown as SequelizeInternals).connectionManager;
  const rowsOf = kind === 'postgres' ? pgRows : sqlite3Rows;
  return async (statement) => {
    if (!plain(sequelize)) return query(statement);
    let rows: Rows;
    try {
      const connection = await manager.getConnection({ type: 'SELECT' });
      try {
        rows = await rowsOf(connection, statement);
      } finally {
        manager.releaseConnection(connection);
      }
    } catch {
      return query(statement);
    }
    return rows;
  };
}
