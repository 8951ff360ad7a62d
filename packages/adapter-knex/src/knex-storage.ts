import type { EventLog, NewEventLog } from '@eventlog/core';
import {
  chainHeadsTableName,
  changedKeysTableName,
  type NewSqlRow,
  questionMark,
  type SqlEventLogStorage,
  sqlDialect,
  sqlStorage,
  tableNameOf,
} from '@eventlog/sql';
import type { Knex } from 'knex';
import { CHUNK_SIZE, chunkWriter } from './insert-chunk';
import { type Driver, knexSession } from './session';
import type { EventLogTableOptions } from './table-options';

/** Stands in for a row already written, so the row itself can be collected. */
const RELEASED = {} as NewSqlRow;

/** Options of `knexStorage`. */
export type KnexStorageOptions = EventLogTableOptions;

/** The storage port on knex; `insert` accepts the caller's `Knex.Transaction`. */
export type KnexEventLogStorage = SqlEventLogStorage<Knex.Transaction>;

const DRIVERS: readonly string[] = ['pg', 'better-sqlite3', 'sqlite3', 'mysql2'];

/**
 * An `EventLogStorage` on a knex instance (PostgreSQL, SQLite through better-sqlite3 or sqlite3,
 * MySQL/MariaDB). The table must exist: `createEventLogTable(knex)` or `eventLogMigration()`.
 * Every statement but the inserts comes from `@eventlog/sql`, run through `knex.raw`.
 * Driver errors propagate unchanged; `EventLogService` wraps them into `StorageError`.
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

  return sqlStorage({
    name: 'knex',
    target: {
      dialect,
      table: quoted(table),
      heads: quoted(chainHeadsTableName(table)),
      changedKeys: quoted(changedKeysTableName(table)),
      placeholder: questionMark,
    },
    root: session(knex),
    session: (transaction) => session(transaction ?? knex),
    singleStatement: (rows) => rows.length <= chunkSize,
    async write(s, entries: readonly NewEventLog[], rows) {
      if (rows.length <= chunkSize) return writeChunk(s.db, entries, rows);
      const stored: EventLog[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i += chunkSize) {
        const end = Math.min(i + chunkSize, rows.length);
        const done = await writeChunk(s.db, entries.slice(i, end), rows.slice(i, end));
        // Let each chunk's rows go as soon as they are written: a large batch would otherwise
        // stay alive to the end, and the collector pays for it.
        for (let k = i; k < end; k++) {
          stored[k] = done[k - i] as EventLog;
          rows[k] = RELEASED;
        }
      }
      return stored;
    },
  });
}
