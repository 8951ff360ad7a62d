import {
  createSearchIndex,
  dropSearchIndex,
  type SearchIndexTarget,
  tableNameOf,
} from '@eventlog/sql';
import type { QueryInterface, Transaction } from 'sequelize';
import type { EventLogTableOptions } from './columns';
import { type EventLogMigration, fromParams } from './migration-shape';
import { dialectOfSequelize, sequelizeSession } from './session';

function targetOf(queryInterface: QueryInterface, tableName: string): SearchIndexTarget {
  const dialect = dialectOfSequelize(queryInterface.sequelize);
  return { dialect, table: tableName, quote: dialect.quote };
}

/**
 * Creates the index that serves `search` unless it exists, indexing the rows already stored:
 * PostgreSQL's trigram index (creating the `pg_trgm` extension when it is missing), SQLite's FTS5
 * trigram table and its triggers.
 *
 * @throws ConfigurationError on PostgreSQL when `pg_trgm` is missing and the role may not create
 * it; the message says what a superuser must run.
 */
export function defineSearchIndex(
  queryInterface: QueryInterface,
  tableName: string,
  transaction: Transaction,
): Promise<void> {
  const session = sequelizeSession(queryInterface.sequelize, transaction);
  return createSearchIndex(session, targetOf(queryInterface, tableName));
}

/** Removes the search index of `tableName` (idempotent). */
export function removeSearchIndex(
  queryInterface: QueryInterface,
  tableName: string,
  transaction: Transaction,
): Promise<void> {
  const session = sequelizeSession(queryInterface.sequelize, transaction);
  return dropSearchIndex(session, targetOf(queryInterface, tableName));
}

/**
 * For tables created by `eventLogMigration()` before search was indexed (umzug or sequelize-cli
 * shape, like `eventLogMigration`): `up` creates the search index and indexes the stored
 * messages; `down` removes it. On PostgreSQL `up` creates the `pg_trgm` extension when the role
 * may, and otherwise fails with a `ConfigurationError` saying what a superuser must run.
 */
export function eventLogSearchMigration(options: EventLogTableOptions = {}): EventLogMigration {
  const tableName = tableNameOf(options);
  return {
    async up(params) {
      const queryInterface = fromParams(params);
      await queryInterface.sequelize.transaction((transaction) =>
        defineSearchIndex(queryInterface, tableName, transaction),
      );
    },
    async down(params) {
      const queryInterface = fromParams(params);
      await queryInterface.sequelize.transaction((transaction) =>
        removeSearchIndex(queryInterface, tableName, transaction),
      );
    },
  };
}
