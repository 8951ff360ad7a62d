import {
  createSearchIndex,
  dropSearchIndex,
  type SearchIndexTarget,
  sqlDialect,
  tableNameOf,
} from '@eventlog/sql';
import type { Knex } from 'knex';
import { knexSession } from './session';
import type { EventLogMigration, EventLogTableOptions } from './table-options';

/** Where the search index of `tableName` goes, on `knex` (an instance or a transaction). */
function targetOf(knex: Knex, tableName: string): SearchIndexTarget {
  const dialect = sqlDialect(
    knex.client.dialect ?? knex.client.config?.client,
    '@eventlog/adapter-knex',
  );
  // Each part of a `schema.table` name, as knex's `??` would, with the dialect's own quote: the
  // trigger bodies SQLite stores read the same as the ones Sequelize's migration writes.
  const quote = (name: string) => name.split('.').map(dialect.quote).join('.');
  return { dialect, table: tableName, quote };
}

/**
 * Creates the index that serves `search` unless it exists, indexing the rows already stored:
 * PostgreSQL's trigram index (creating the `pg_trgm` extension when it is missing), SQLite's FTS5
 * trigram table and its triggers; nothing on MySQL/MariaDB, where search scans.
 *
 * @throws ConfigurationError on PostgreSQL when `pg_trgm` is missing and the role may not create
 * it; the message says what a superuser must run.
 */
export function defineSearchIndex(knex: Knex, tableName: string): Promise<void> {
  const target = targetOf(knex, tableName);
  return createSearchIndex(knexSession(knex, target.dialect.kind, undefined), target);
}

/** Removes the search index of `tableName` (idempotent). */
export function removeSearchIndex(knex: Knex, tableName: string): Promise<void> {
  const target = targetOf(knex, tableName);
  return dropSearchIndex(knexSession(knex, target.dialect.kind, undefined), target);
}

/**
 * For tables created by `eventLogMigration()` before search was indexed: `up` creates the search
 * index and indexes the stored messages (see `createEventLogTable` for what each database gets,
 * and what happens when PostgreSQL's `pg_trgm` cannot be created); `down` removes it.
 */
export function eventLogSearchMigration(options: EventLogTableOptions = {}): EventLogMigration {
  const tableName = tableNameOf(options);
  return {
    up: (knex) => defineSearchIndex(knex, tableName),
    down: (knex) => removeSearchIndex(knex, tableName),
  };
}
