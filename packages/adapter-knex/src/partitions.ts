import { ConfigurationError } from '@eventlog/core';
import {
  createMonthPartitioned,
  ensureMonthPartitions,
  type MonthPartitionOptions,
  type PartitionOptions,
  questionMark,
  tableNameOf,
} from '@eventlog/sql';
import type { Knex } from 'knex';
import { knexSession } from './session';
import type { EventLogTableOptions } from './table-options';

export type { PartitionOptions } from '@eventlog/sql';

/** Options of `ensurePartitions`: the table, `monthsAhead` (default 3) and `now`. */
export interface EnsurePartitionsOptions extends EventLogTableOptions, MonthPartitionOptions {}

const sessionOf = (knex: Knex) => knexSession(knex, 'postgres', 'pg');

/**
 * Creates the monthly partitions of a table made by `createEventLogTable(db, { partitionBy:
 * 'month' })` that are missing: the current month and `monthsAhead` after it, and every month
 * of the rows the DEFAULT partition took meanwhile (which move into their month's partition, so
 * `purge` can drop them with it). Runs in one transaction; idempotent. Call it from a scheduled
 * job; a write never waits for it, since the DEFAULT partition takes what no partition covers.
 * Returns the months it created, as their first instants (UTC).
 *
 * @throws ConfigurationError when the table is not partitioned by month (PostgreSQL only).
 */
export function ensurePartitions(
  knex: Knex,
  options: EnsurePartitionsOptions = {},
): Promise<Date[]> {
  return ensureMonthPartitions(sessionOf(knex), tableNameOf(options), questionMark, options);
}

/**
 * Creates the table partitioned by month unless it exists (refusing a plain table of that name:
 * turning it into partitions rewrites every row), then `ensurePartitions`.
 *
 * @throws ConfigurationError on another `partitionBy`, another database than PostgreSQL, or a
 * plain table of that name.
 */
export function createPartitionedTable(
  knex: Knex,
  options: EventLogTableOptions & PartitionOptions,
): Promise<void> {
  const table = tableNameOf(options);
  if (knex.client.dialect !== 'postgresql') {
    throw new ConfigurationError(`partitionBy is PostgreSQL only, not ${knex.client.dialect}`);
  }
  return createMonthPartitioned(sessionOf(knex), table, questionMark, options);
}
