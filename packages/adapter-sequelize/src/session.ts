import { ConfigurationError } from '@eventlog/core';
import { type SqlDialect, type SqlSession, type Statement, sqlDialect } from '@eventlog/sql';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

/** The dialect of a Sequelize instance: PostgreSQL or SQLite; others are a `ConfigurationError`. */
export function dialectOfSequelize(sequelize: Sequelize): SqlDialect {
  const dialect = sqlDialect(sequelize.getDialect(), '@eventlog/adapter-sequelize');
  if (dialect.kind === 'mysql') {
    throw new ConfigurationError(
      '@eventlog/adapter-sequelize supports PostgreSQL and SQLite, not MySQL/MariaDB (use @eventlog/adapter-knex)',
    );
  }
  return dialect;
}

/** A `SqlSession` on Sequelize, bound to a transaction (`tx`) or to none. */
export interface SequelizeSession extends SqlSession {
  readonly sequelize: Sequelize;
  /**
   * The transaction statements join; undefined lets Sequelize pick up a CLS-managed
   * transaction, as for its own queries.
   */
  readonly tx: Transaction | undefined;
}

/**
 * The bind option of `statement`, none when it binds nothing: with one, Sequelize reads every
 * `$word` as a bind parameter, dollar-quoted DDL bodies (`$body$`) included.
 */
const bindOf = (statement: Statement) =>
  statement.bindings.length > 0 ? { bind: statement.bindings } : {};

/**
 * The session of `tx` on `sequelize`: statements go through `sequelize.query` with `$n` binds;
 * `transaction` opens a savepoint inside `tx`, or a new transaction when `tx` is undefined.
 */
export function sequelizeSession(
  sequelize: Sequelize,
  tx: Transaction | undefined,
): SequelizeSession {
  return {
    sequelize,
    tx,
    query<T>(statement: Statement) {
      return sequelize.query<T & object>(statement.sql, {
        ...bindOf(statement),
        type: QueryTypes.SELECT,
        raw: true,
        transaction: tx,
      }) as Promise<T[]>;
    },
    async execute(statement: Statement) {
      // BULKDELETE makes every dialect answer with the number of rows the statement touched.
      const count = await sequelize.query(statement.sql, {
        ...bindOf(statement),
        type: QueryTypes.BULKDELETE,
        transaction: tx,
      });
      return Number(count);
    },
    transaction(fn) {
      return sequelize.transaction({ transaction: tx }, (t) =>
        fn(sequelizeSession(sequelize, t) as never),
      );
    },
  };
}
