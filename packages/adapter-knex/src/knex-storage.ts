import type { EventLog } from '@eventlog/core';
import type { NewEventLog } from '@eventlog/core/storage';
import {
  chainHeadsTableName,
  changedKeysTableName,
  eventIdsTableName,
  type NewSqlRow,
  questionMark,
  type SqlEventLogStorage,
  searchTableName,
  sqlDialect,
  sqlStorage,
  tableNameOf,
} from '@eventlog/sql';
import type { Knex } from 'knex';
import { pgCopyFrom } from './copy-from';
import { withDriverMessages } from './driver-errors';
import { CHUNK_SIZE, chunkWriter } from './insert-chunk';
import { mysqlPackets } from './packet-size';
import { type Driver, type KnexSession, knexSession } from './session';
import type { EventLogTableOptions } from './table-options';

/** Stands in for a row already written, so the row itself can be collected. */
const RELEASED = {} as NewSqlRow;

/** Entries from which a plain insert takes PostgreSQL's COPY by default (see `copyFrom`). */
const COPY_FROM = 5000;

/** Options of `knexStorage`. */
export interface KnexStorageOptions extends EventLogTableOptions {
  /**
   * PostgreSQL through `pg`: a plain insert (`logMany`, integrity off) of at least this many
   * entries is written with `COPY ... FROM STDIN` instead of INSERT statements, several times
   * faster for large batches, with the same result (ids in input order, changed keys, every
   * constraint checked, all or nothing). `false` never uses COPY. Default 5,000. Ignored on other
   * databases and drivers.
   */
  copyFrom?: number | false;
}

/** The storage port on knex; `insert` accepts the caller's `Knex.Transaction`. */
export type KnexEventLogStorage = SqlEventLogStorage<Knex.Transaction>;

const DRIVERS: readonly string[] = ['pg', 'better-sqlite3', 'sqlite3', 'mysql2'];

/**
 * An `EventLogStorage` on a knex instance (PostgreSQL, SQLite through better-sqlite3 or sqlite3,
 * MySQL/MariaDB). The table must exist: `createEventLogTable(knex)` or `eventLogMigration()`.
 * Every statement but the inserts comes from `@eventlog/sql`, run through `knex.raw`.
 * Driver errors propagate with their own message (knex puts the statement with its values in
 * front; it moves to the error's `sql`); `EventLogService` wraps them into `StorageError`.
 *
 * Tamper evidence (`capabilities.integrity`) needs the chain columns and the chain-heads table,
 * which `createEventLogTable` adds; tables without them keep working as long as the service's
 * `integrity` option is off. On SQLite a writer waits for the file lock up to the driver's busy
 * timeout (better-sqlite3: 5 s by default; raise it with `PRAGMA busy_timeout` in the pool's
 * `afterCreate` for many concurrent writing processes).
 */
export function knexStorage(knex: Knex, options: KnexStorageOptions = {}): KnexEventLogStorage {
  const table = tableNameOf(options);
  const dialect = sqlDialect(
    knex.client.dialect ?? knex.client.config?.client,
    '@eventlog/adapter-knex',
  );
  const name = (knex.client as { driverName?: string }).driverName ?? '';
  const driver = DRIVERS.includes(name) ? (name as Driver) : undefined;
  const chunkSize = CHUNK_SIZE[dialect.kind];
  const writeChunk = chunkWriter(knex, table, dialect.kind, driver);
  const session = (db: Knex) => knexSession(db, dialect.kind, driver);
  // knex quotes each part of a `schema.table` name.
  const quoted = (name: string) => knex.raw('??', [name]).toQuery();

  const packets = dialect.kind === 'mysql' ? mysqlPackets() : undefined;
  /** Where each statement's rows end: every `chunkSize` rows, and on MySQL where a packet is full. */
  async function statementEnds(db: Knex, rows: readonly NewSqlRow[]): Promise<number[]> {
    if (packets) return packets.split(db, rows, chunkSize);
    const ends: number[] = [];
    for (let end = chunkSize; end < rows.length; end += chunkSize) ends.push(end);
    ends.push(rows.length);
    return ends;
  }

  const storage = sqlStorage<Knex.Transaction, KnexSession>({
    name: 'knex',
    target: {
      dialect,
      table: quoted(table),
      heads: quoted(chainHeadsTableName(table)),
      changedKeys: quoted(changedKeysTableName(table)),
      eventIds: quoted(eventIdsTableName(table)),
      ...(dialect.kind === 'sqlite' && {
        searchTable: { quoted: quoted(searchTableName(table)), name: searchTableName(table) },
      }),
      placeholder: questionMark,
    },
    root: session(knex),
    session: (transaction) => session(transaction ?? knex),
    singleStatement: (rows) =>
      packets ? packets.fitsOne(rows, chunkSize) : rows.length <= chunkSize,
    ...(driver === 'pg' &&
      options.copyFrom !== false && {
        copy: { minRows: Math.max(1, options.copyFrom ?? COPY_FROM), run: pgCopyFrom },
      }),
    async write(s, entries: readonly NewEventLog[], rows) {
      if (!packets && rows.length <= chunkSize) return writeChunk(s.db, entries, rows);
      const ends = await statementEnds(s.db, rows);
      if (ends.length === 1) return writeChunk(s.db, entries, rows);
      const stored: EventLog[] = new Array(rows.length);
      let i = 0;
      for (const end of ends as number[]) {
        const done = await writeChunk(s.db, entries.slice(i, end), rows.slice(i, end));
        // Let each chunk's rows go as soon as they are written: a large batch would otherwise
        // stay alive to the end, and the collector pays for it.
        for (let k = i; k < end; k++) {
          stored[k] = done[k - i] as EventLog;
          rows[k] = RELEASED;
        }
        i = end;
      }
      return stored;
    },
  });
  return withDriverMessages(storage);
}
