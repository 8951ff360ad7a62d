import type { EventLog } from '@eventlog/core';
import type { NewEventLog } from '@eventlog/core/storage';
import type { SqlTarget } from './queries';
import type { NewSqlRow, SqlRow } from './row';
import type { Statement } from './statement';

/**
 * What the shared SQL code needs from a driver or ORM: run a statement on one connection (a
 * transaction's, or the pool's), and open a transaction. Each adapter supplies one (knex: `raw`
 * on the knex instance or transaction; Sequelize: `sequelize.query` with its transaction).
 */
export interface SqlSession {
  /** The rows a statement returns (a SELECT, or a write with RETURNING), by column name. */
  query<T = Record<string, unknown>>(statement: Statement): Promise<T[]>;
  /**
   * The rows of a SELECT the cheapest way the driver hands them over: as arrays in the order of
   * `columns` where it can (no object built per row), else by column name as `query` returns
   * them, each with the columns every read selects (`SqlRow`). Absent: `query` serves.
   */
  read?(statement: Statement): Promise<SqlRow[] | ColumnRows>;
  /** Runs a write and returns the number of rows it affected. */
  execute(statement: Statement): Promise<number>;
  /**
   * Runs `fn` in a transaction on this session (a savepoint when the session is a transaction
   * already), committing when it resolves and rolling back when it throws.
   */
  transaction<T>(fn: (session: this) => Promise<T>): Promise<T>;
  /**
   * Runs `insert` (a single-row INSERT), then the statements `after` builds from the id it
   * inserted, as one all-or-nothing step on the session's connection with nothing in between (a
   * savepoint inside the session's transaction, its own transaction outside one); resolves to the
   * id. Throws the driver's error having written nothing. Offered where the driver runs
   * statements synchronously on its connection (better-sqlite3): a `log()` with changes is then
   * one call, where `transaction` would take four (savepoint, two inserts, release). Absent: the
   * insert path uses `transaction`.
   */
  insertThen?(insert: Statement, after: (id: string) => readonly Statement[]): Promise<string>;
}

/** Rows as arrays of values, and the name of the column at each index. */
export interface ColumnRows {
  columns: readonly string[];
  rows: readonly (readonly unknown[])[];
}

/**
 * A driver's `COPY ... FROM STDIN`: sends `text` (PostgreSQL's text format, in pieces) as the
 * data of `sql` on the connection of `session`, and resolves once the server has taken it all.
 * An adapter supplies it where its driver can (knex on `pg`).
 */
export type CopyFrom<S extends SqlSession> = (
  session: S,
  sql: string,
  text: Iterable<string>,
) => Promise<void>;

/** What an adapter supplies to `sqlStorage`: its sessions and its insert path. */
export interface SqlAdapter<Tx, S extends SqlSession> {
  /** The adapter's name, as `EventLogStorage.name`. */
  name: string;
  target: SqlTarget;
  /** The session of the caller's transaction; when none, the adapter's default connection. */
  session(transaction: Tx | undefined): S;
  /** The session of the database outside any caller's transaction: reads and retention. */
  root: S;
  /**
   * Inserts `rows` (the rows of `entries`, in order) through `session`, in as many statements as
   * the dialect needs, and returns the entries as stored (with their ids), in input order. It
   * opens no transaction: the caller does when `singleStatement` says it takes several.
   */
  write(session: S, entries: readonly NewEventLog[], rows: NewSqlRow[]): Promise<EventLog[]>;
  /** True when `write` of `rows` is one statement. */
  singleStatement(rows: readonly NewSqlRow[]): boolean;
  /**
   * PostgreSQL's bulk path, where the driver offers it: plain inserts (not chained appends) of at
   * least `minRows` entries go through `copyEntries` with this `run` instead of `write`.
   */
  copy?: { minRows: number; run: CopyFrom<S> };
}
