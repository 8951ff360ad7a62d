import type { Statement } from './statement';

/**
 * What the shared SQL code needs from a driver or ORM: run a statement on one connection (a
 * transaction's, or the pool's), and open a transaction. Each adapter supplies one (knex: `raw`
 * on the knex instance or transaction; Sequelize: `sequelize.query` with its transaction).
 */
export interface SqlSession {
  /** The rows a statement returns (a SELECT, or a write with RETURNING), by column name. */
  query<T = Record<string, unknown>>(statement: Statement): Promise<T[]>;
  /** Runs a write and returns the number of rows it affected. */
  execute(statement: Statement): Promise<number>;
  /**
   * Runs `fn` in a transaction on this session (a savepoint when the session is a transaction
   * already), committing when it resolves and rolling back when it throws.
   */
  transaction<T>(fn: (session: this) => Promise<T>): Promise<T>;
}
