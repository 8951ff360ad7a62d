import type { EventLog, NewEventLog } from '@eventlog/core';
import type { Knex } from 'knex';
import type { Dialect } from './dialect';
import { type EventLogRow, fromRow, insertedEntry, type NewEventLogRow } from './row';

const toBigInt = (r: { id: number | string }): bigint => BigInt(r.id);
const byValue = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

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
  if (rows.length === 1 && dialect.kind === 'sqlite') {
    // One row on SQLite: both drivers report its rowid (the statement's own, on this connection),
    // and a plain INSERT runs without RETURNING's result set, the dearest part of a single-row
    // write there.
    const [rowid] = (await db(table).insert(rows)) as (number | bigint)[];
    return [insertedEntry(String(rowid), entries[0] as NewEventLog, rows[0] as NewEventLogRow)];
  }
  if (dialect.returning) {
    // Only the ids come back: the rest is what was just written, so no column is shipped back
    // through the driver.
    const ids = (await db(table).insert(rows).returning('id')) as { id: number | string }[];
    if (rows.length === 1) {
      return [
        insertedEntry(String(ids[0]?.id), entries[0] as NewEventLog, rows[0] as NewEventLogRow),
      ];
    }
    // RETURNING order is not promised by SQL; ids are assigned in VALUES order, so sort them.
    const sorted = ids.map(toBigInt).sort(byValue);
    const stored: EventLog[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      stored[i] = insertedEntry(
        String(sorted[i]),
        entries[i] as NewEventLog,
        rows[i] as NewEventLogRow,
      );
    }
    return stored;
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
