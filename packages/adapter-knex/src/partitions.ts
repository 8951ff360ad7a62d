import { ConfigurationError } from '@eventlog/core';
import {
  addMonthDdl,
  addMonths,
  defaultMonthsSql,
  eventIdsTableName,
  isPartitioned,
  monthStart,
  type PartitionRow,
  partitionedParents,
  partitionedTableDdl,
  partitionsOf,
  qualifiedName,
  questionMark,
  tableNameOf,
} from '@eventlog/sql';
import type { Knex } from 'knex';
import type { EventLogTableOptions } from './table-options';

/** Options of `ensurePartitions`. */
export interface EnsurePartitionsOptions extends EventLogTableOptions {
  /**
   * How many months after the current one get their partition ahead of time; default 3. Run
   * `ensurePartitions` more often than that (a monthly job is plenty).
   */
  monthsAhead?: number;
  /** The current instant; default now. */
  now?: Date;
}

/** The number of months ahead, checked. */
export function monthsAheadOf(options: { monthsAhead?: number }): number {
  const n = options.monthsAhead ?? 3;
  if (!Number.isSafeInteger(n) || n < 0 || n > 120) {
    throw new ConfigurationError(`monthsAhead must be an integer from 0 to 120, got ${String(n)}`);
  }
  return n;
}

async function rowsOf<T>(db: Knex, sql: string, bindings: readonly unknown[] = []): Promise<T[]> {
  return ((await db.raw(sql, bindings as Knex.Value[])) as { rows: T[] }).rows;
}

/** The months (first instants) that already have a partition of `table`. */
async function coveredMonths(db: Knex, table: string): Promise<PartitionRow[]> {
  const { sql, bindings } = partitionsOf(qualifiedName(table), questionMark);
  return rowsOf<PartitionRow>(db, sql, bindings);
}

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
export async function ensurePartitions(
  knex: Knex,
  options: EnsurePartitionsOptions = {},
): Promise<Date[]> {
  const table = tableNameOf(options);
  const ahead = monthsAheadOf(options);
  const current = monthStart(options.now ?? new Date());
  return knex.transaction(async (trx) => {
    const created: Date[] = [];
    const [parent, keys] = partitionedParents(table);
    if (parent === undefined || keys === undefined) return created;
    const covered = await coveredMonths(trx, table);
    if (covered.length === 0) {
      throw new ConfigurationError(
        `"${table}" is not partitioned: create it with createEventLogTable(db, { partitionBy: 'month' })`,
      );
    }
    const wanted = new Map<number, Date>();
    for (let i = 0; i <= ahead; i++) {
      const month = addMonths(current, i);
      wanted.set(month.getTime(), month);
    }
    for (const waiting of [parent, keys]) {
      for (const { month } of await rowsOf<{ month: Date }>(trx, defaultMonthsSql(waiting))) {
        wanted.set(month.getTime(), month);
      }
    }
    const has = (rows: PartitionRow[], month: Date) =>
      rows.some(
        (p) =>
          p.lower !== null &&
          p.upper !== null &&
          p.lower <= month &&
          addMonths(month, 1) <= p.upper,
      );
    const keyCovered = await coveredMonths(trx, keys.table);
    for (const month of [...wanted.values()].sort((a, b) => a.getTime() - b.getTime())) {
      let added = false;
      for (const [target, rows, eventIds] of [
        [parent, covered, eventIdsTableName(table)],
        [keys, keyCovered, null],
      ] as const) {
        if (has(rows, month)) continue;
        for (const sql of addMonthDdl(target, month, eventIds)) await trx.raw(sql);
        added = true;
      }
      if (added) created.push(month);
    }
    return created;
  });
}

/** Options of `createEventLogTable` beyond the table name. */
export interface PartitionOptions {
  /**
   * `'month'` (PostgreSQL only): range partitions of the entry timestamp, one per UTC month, so
   * `purge` drops whole months instead of deleting rows. See `ensurePartitions`.
   */
  partitionBy?: 'month';
  /** With `partitionBy`: the months after the current one created ahead; default 3. */
  monthsAhead?: number;
}

/**
 * Creates the table partitioned by month unless it exists (refusing a plain table of that name:
 * turning it into partitions rewrites every row), then `ensurePartitions`.
 *
 * @throws ConfigurationError on another `partitionBy`, another database than PostgreSQL, or a
 * plain table of that name.
 */
export async function createPartitionedTable(
  knex: Knex,
  options: EventLogTableOptions & PartitionOptions,
): Promise<void> {
  const table = tableNameOf(options);
  if (options.partitionBy !== 'month') {
    throw new ConfigurationError(
      `partitionBy must be 'month', got ${JSON.stringify(options.partitionBy)}`,
    );
  }
  if (knex.client.dialect !== 'postgresql') {
    throw new ConfigurationError(`partitionBy is PostgreSQL only, not ${knex.client.dialect}`);
  }
  monthsAheadOf(options);
  await knex.transaction(async (trx) => {
    if (await trx.schema.hasTable(table)) {
      const { sql, bindings } = isPartitioned(qualifiedName(table), questionMark);
      if ((await rowsOf(trx, sql, bindings)).length > 0) return;
      throw new ConfigurationError(
        `"${table}" exists and is not partitioned; moving its rows into partitions rewrites them all, so do it on purpose (see the README)`,
      );
    }
    for (const sql of partitionedTableDdl(table)) await trx.raw(sql);
  });
  await ensurePartitions(knex, options);
}
