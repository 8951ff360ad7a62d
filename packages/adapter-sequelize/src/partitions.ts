import { ConfigurationError } from '@eventlog/core';
import {
  createMonthPartitioned,
  dollarNumber,
  ensureMonthPartitions,
  type MonthPartitionOptions,
  type PartitionOptions,
  tableNameOf,
} from '@eventlog/sql';
import type { Sequelize } from 'sequelize';
import type { EventLogTableOptions } from './columns';
import { sequelizeSession } from './session';

/** Options of `ensurePartitions`: the table, `monthsAhead` (default 3) and `now`. */
export interface EnsurePartitionsOptions extends EventLogTableOptions, MonthPartitionOptions {}

/**
 * Creates the monthly partitions of a table made by `createEventLogTable(sequelize, {
 * partitionBy: 'month' })` that are missing: the current month and `monthsAhead` after it, and
 * every month of the rows the DEFAULT partition took meanwhile (which move into their month's
 * partition, so `purge` can drop them with it). Runs in one transaction; idempotent. Call it from
 * a scheduled job; a write never waits for it, since the DEFAULT partition takes what no
 * partition covers. Returns the months it created, as their first instants (UTC).
 *
 * @throws ConfigurationError when the table is not partitioned by month (PostgreSQL only).
 */
export function ensurePartitions(
  sequelize: Sequelize,
  options: EnsurePartitionsOptions = {},
): Promise<Date[]> {
  const session = sequelizeSession(sequelize, undefined);
  return ensureMonthPartitions(session, tableNameOf(options), dollarNumber, options);
}

/**
 * Creates the table partitioned by month unless it exists (refusing a plain table of that name),
 * then `ensurePartitions`.
 *
 * @throws ConfigurationError on another `partitionBy`, another database than PostgreSQL, or a
 * plain table of that name.
 */
export function createPartitionedTable(
  sequelize: Sequelize,
  options: EventLogTableOptions & PartitionOptions,
): Promise<void> {
  if (sequelize.getDialect() !== 'postgres') {
    throw new ConfigurationError(`partitionBy is PostgreSQL only, not ${sequelize.getDialect()}`);
  }
  const session = sequelizeSession(sequelize, undefined);
  return createMonthPartitioned(session, tableNameOf(options), dollarNumber, options);
}
