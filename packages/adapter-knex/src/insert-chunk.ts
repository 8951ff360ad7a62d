import type { EventLog, NewEventLog } from '@eventlog/core';
import type { Knex } from 'knex';
import type { Dialect } from './dialect';
import { type EventLogRow, fromRow, insertedEntry, type NewEventLogRow } from './row';

/**
 * Inserts one statement's worth of rows and returns the entries as stored, in input order.
 * `selectRow` reads rows back where the dialect has no RETURNING (MySQL).
 */
export async function insertChunk(
  db: Knex,
  table: string,
  entries: readonly NewEventLog[],
  rows: NewEventLogRow[],
  dialect: Dialect,
  selectRow: (db: Knex) => Knex.QueryBuilder,
): Promise<EventLog[]> {
  if (dialect.returning) {
    // Only the ids come back: the rest is what was just written, so no column is shipped back
    // through the driver.
    const ids = (await db(table).insert(rows).returning('id')) as { id: number | string }[];
    // RETURNING order is not promised by SQL; ids are assigned in VALUES order, so sort them.
    const sorted = ids.map((r) => BigInt(r.id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return rows.map((row, i) => insertedEntry(String(sorted[i]), entries[i] as NewEventLog, row));
  }
  // MySQL: no RETURNING; a multi-row insert gets consecutive ids starting at the reported one.
  const [first] = (await db(table).insert(rows)) as number[];
  const start = BigInt(first ?? 0);
  const stored = (await selectRow(db)
    .where('id', '>=', String(start))
    .andWhere('id', '<', String(start + BigInt(rows.length)))
    .orderBy('id')) as EventLogRow[];
  return stored.map(fromRow);
}
