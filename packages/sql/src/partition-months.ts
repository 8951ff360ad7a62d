/**
 * Creating the PostgreSQL layout partitioned by month and keeping its months ahead, through any
 * adapter's `SqlSession`: the knex and Sequelize adapters' `createEventLogTable(db, { partitionBy:
 * 'month' })` and `ensurePartitions` are this, on their own connection.
 */

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
} from './partitions';
import type { SqlSession } from './session';
import { Binds, type Placeholder } from './statement';

/** Options of `ensurePartitions`, in both adapters. */
export interface MonthPartitionOptions {
  /**
   * How many months after the current one get their partition ahead of time; default 3. Run
   * `ensurePartitions` more often than that (a monthly job is plenty).
   */
  monthsAhead?: number;
  /** The current instant; default now. */
  now?: Date;
}

/** Options of `createEventLogTable` beyond the table name, in both adapters. */
export interface PartitionOptions {
  /**
   * `'month'` (PostgreSQL only): range partitions of the entry timestamp, one per UTC month, so
   * `purge` drops whole months instead of deleting rows. See `ensurePartitions`.
   */
  partitionBy?: 'month';
  /** With `partitionBy`: the months after the current one created ahead; default 3. */
  monthsAhead?: number;
}

/** The number of months ahead, checked. */
export function monthsAheadOf(options: { monthsAhead?: number }): number {
  const n = options.monthsAhead ?? 3;
  if (!Number.isSafeInteger(n) || n < 0 || n > 120) {
    throw new ConfigurationError(`monthsAhead must be an integer from 0 to 120, got ${String(n)}`);
  }
  return n;
}

const ddl = (sql: string) => new Binds(() => '').statement(sql);

/** The partitions of `table`, with their bounds. */
const partitionRows = (s: SqlSession, table: string, placeholder: Placeholder) =>
  s.query<PartitionRow>(partitionsOf(qualifiedName(table), placeholder));

const covers = (rows: PartitionRow[], month: Date) =>
  rows.some(
    (p) =>
      p.lower !== null && p.upper !== null && p.lower <= month && addMonths(month, 1) <= p.upper,
  );

/**
 * Creates, in one transaction on `session`, the monthly partitions of `table` that are missing:
 * the current month and `monthsAhead` after it, and every month of the rows the DEFAULT partition
 * took meanwhile (which move into their month's partition, so `purge` can drop them with it).
 * Idempotent. Returns the months it created, as their first instants (UTC).
 *
 * @throws ConfigurationError when `table` is not partitioned.
 */
export function ensureMonthPartitions(
  session: SqlSession,
  table: string,
  placeholder: Placeholder,
  options: MonthPartitionOptions = {},
): Promise<Date[]> {
  const ahead = monthsAheadOf(options);
  const current = monthStart(options.now ?? new Date());
  return session.transaction(async (s) => {
    const [parent, keys] = partitionedParents(table) as [Parent, Parent];
    const covered = await partitionRows(s, table, placeholder);
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
      for (const { month } of await s.query<{ month: Date }>(ddl(defaultMonthsSql(waiting)))) {
        wanted.set(month.getTime(), month);
      }
    }
    const keyCovered = await partitionRows(s, keys.table, placeholder);
    const created: Date[] = [];
    for (const month of [...wanted.values()].sort((a, b) => a.getTime() - b.getTime())) {
      let added = false;
      for (const [target, rows, eventIds] of [
        [parent, covered, eventIdsTableName(table)],
        [keys, keyCovered, null],
      ] as const) {
        if (covers(rows, month)) continue;
        for (const sql of addMonthDdl(target, month, eventIds)) await s.execute(ddl(sql));
        added = true;
      }
      if (added) created.push(month);
    }
    return created;
  });
}

type Parent = ReturnType<typeof partitionedParents>[number];

/**
 * Creates `table` partitioned by month unless it exists (refusing a plain table of that name:
 * turning it into partitions rewrites every row), then `ensureMonthPartitions`.
 *
 * @throws ConfigurationError on another `partitionBy`, or a plain table of that name.
 */
export async function createMonthPartitioned(
  session: SqlSession,
  table: string,
  placeholder: Placeholder,
  options: PartitionOptions & MonthPartitionOptions,
): Promise<void> {
  if (options.partitionBy !== 'month') {
    throw new ConfigurationError(
      `partitionBy must be 'month', got ${JSON.stringify(options.partitionBy)}`,
    );
  }
  monthsAheadOf(options);
  await session.transaction(async (s) => {
    const b = new Binds(placeholder);
    const exists = `SELECT 1 AS "found" WHERE to_regclass(${b.add(qualifiedName(table))}) IS NOT NULL`;
    if ((await s.query(b.statement(exists))).length > 0) {
      if ((await s.query(isPartitioned(qualifiedName(table), placeholder))).length > 0) return;
      throw new ConfigurationError(
        `"${table}" exists and is not partitioned; moving its rows into partitions rewrites them all, so do it on purpose (see docs/scaling.md)`,
      );
    }
    for (const sql of partitionedTableDdl(table)) await s.execute(ddl(sql));
  });
  await ensureMonthPartitions(session, table, placeholder, options);
}
