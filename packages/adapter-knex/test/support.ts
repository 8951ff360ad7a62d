import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StorageHarness } from '@eventlog/conformance';
import { filledEntry, rawRowToEntry, refuseChangedKeySql } from '@eventlog/conformance/sql';
import type { EventLog } from '@eventlog/core';
import { changedKeysTableName } from '@eventlog/sql';
import { mariadbUnavailable, mariadbUrl } from '@eventlog/test-servers/mariadb';
import { postgresUnavailable, postgresUrl } from '@eventlog/test-servers/postgres';
import knexFactory, { type Knex } from 'knex';
import {
  chainHeadsTableName,
  createEventLogTable,
  eventLogHistoryMigration,
  knexStorage,
  type PartitionOptions,
} from '../src/index';
import { CHUNK_SIZE } from '../src/insert-chunk';

/** The SQL dialect family of a knex instance, as `@eventlog/sql` names it. */
const dialectKind = (knex: Knex): keyof typeof CHUNK_SIZE =>
  knex.client.dialect === 'postgresql'
    ? 'postgres'
    : knex.client.dialect === 'mysql'
      ? 'mysql'
      : 'sqlite';

/** One database the adapter tests run against. */
export interface Backend {
  name: string;
  /** Why it cannot run here (PostgreSQL not started); undefined when it can. */
  unavailable: string | undefined;
  /** A fresh knex instance; `close` destroys it and removes what it created. */
  open(): Promise<{ knex: Knex; close(): Promise<void> }>;
  /** How `openHarness` creates the table, beyond its name. */
  tableOptions?: PartitionOptions;
}

/** SQLite on a temp file. */
export const sqliteFile: Backend = {
  name: 'SQLite file',
  unavailable: undefined,
  async open() {
    const dir = await mkdtemp(join(tmpdir(), 'eventlog-knex-'));
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: join(dir, 'test.db') },
      useNullAsDefault: true,
    });
    return {
      knex,
      async close() {
        await knex.destroy();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

/**
 * SQLite in memory (knex keeps one connection, so the database lives as long as the pool), on the
 * other SQLite driver knex supports, node-sqlite3: its writes take the query builder, where
 * better-sqlite3's take the adapter's compiled statements.
 */
export const sqliteMemory: Backend = {
  name: 'SQLite :memory: (sqlite3 driver)',
  unavailable: undefined,
  async open() {
    const knex = knexFactory({
      client: 'sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    return { knex, close: () => knex.destroy() };
  },
};

/** The PostgreSQL cluster of the global setup; tables are random per test and dropped on close. */
export const postgres: Backend = {
  name: 'PostgreSQL',
  unavailable: postgresUnavailable(),
  async open() {
    const knex = knexFactory({ client: 'pg', connection: postgresUrl(), pool: { min: 0, max: 4 } });
    return { knex, close: () => knex.destroy() };
  },
};

/**
 * The MariaDB server of the global setup (the `mysql` dialect, on the mysql2 driver); tables are
 * random per test and dropped on close. mysql2's defaults otherwise: the adapter must not depend
 * on driver settings. `timezone: 'Z'` only serves `readRaw`, which reads DATETIME columns as Dates.
 */
export const mariadb: Backend = {
  name: 'MariaDB',
  unavailable: mariadbUnavailable(),
  async open() {
    const knex = knexFactory({
      client: 'mysql2',
      connection: { uri: mariadbUrl(), timezone: 'Z' },
      pool: { min: 0, max: 4 },
    });
    return { knex, close: () => knex.destroy() };
  },
};

export const backends: Backend[] = [sqliteFile, sqliteMemory, postgres, mariadb];

/**
 * The same cluster with the table partitioned by month: the conformance suites run on it as
 * one more database, since every promise of the port must hold there too.
 */
export const postgresPartitioned: Backend = {
  ...postgres,
  name: 'PostgreSQL partitioned by month',
  tableOptions: { partitionBy: 'month' },
};

/** A unique table name, so tests sharing one server never see each other's rows. */
export const randomTable = (): string => `eventlog_${Math.random().toString(36).slice(2, 10)}`;

/**
 * Reads a row with plain SQL and maps it with this file's own code, not the adapter's, so the
 * suite checks what was really written.
 */
export async function readRaw(knex: Knex, table: string, id: string): Promise<EventLog | null> {
  const result = (await knex.raw(`SELECT * FROM ?? WHERE id = ${Number(id)}`, [table])) as unknown;
  // better-sqlite3: the rows; mysql2: [rows, fields]; pg: { rows }.
  const rows = (
    knex.client.dialect === 'mysql'
      ? (result as unknown[])[0]
      : Array.isArray(result)
        ? result
        : (result as { rows: unknown[] }).rows
  ) as Record<string, unknown>[];
  const r = rows[0];
  if (!r) return null;
  return rawRowToEntry(r);
}

/** The harness's COPY threshold on PostgreSQL: above `CHUNK_SIZE.postgres` + 100. */
const BULK_FROM = 2500;

/** A complete entry with distinct values; `overrides` win. */
export const entry = filledEntry;

/**
 * The conformance suites' harness on a fresh random table of `backend` (with its chain-heads
 * table), with the knex instance and table name for hooks that write around the adapter.
 */
export async function openHarness(
  backend: Backend,
): Promise<StorageHarness<Knex.Transaction> & { knex: Knex; table: string }> {
  const { knex, close } = await backend.open();
  const table = randomTable();
  await createEventLogTable(knex, { tableName: table, ...backend.tableOptions });
  return {
    knex,
    table,
    // COPY from past the chunked INSERT path's atomicity batch, so both paths stay tested.
    storage: knexStorage(knex, { tableName: table, copyFrom: BULK_FROM }),
    insertChunk: CHUNK_SIZE[dialectKind(knex)],
    ...(knex.client.dialect === 'postgresql' && { bulkFrom: BULK_FROM }),
    async writeRaw(row) {
      // MySQL takes no ISO 8601 `T...Z` literal: another tool writes UTC wall time.
      const timestamp =
        knex.client.dialect === 'mysql'
          ? row.timestamp.slice(0, 26).replace('T', ' ')
          : row.timestamp;
      await knex(table).insert({ ...row, timestamp });
    },
    readRaw: (id) => readRaw(knex, table, id),
    async readChangedKeys(id) {
      const rows = (await knex(changedKeysTableName(table))
        .where('entry_id', id)
        .select('changed_key')) as { changed_key: string }[];
      return rows.map((r) => r.changed_key).sort();
    },
    async refuseChangedKey(key) {
      await knex.raw(refuseChangedKeySql(dialectKind(knex), changedKeysTableName(table), key));
    },
    historyMigration: {
      down: () => eventLogHistoryMigration({ tableName: table }).down(knex),
      up: () => eventLogHistoryMigration({ tableName: table }).up(knex),
    },
    withTransaction: (fn) => knex.transaction(fn),
    ...(knex.client.dialect === 'postgresql' && {
      async killConnection(trx: Knex.Transaction) {
        const { rows } = (await trx.raw('SELECT pg_backend_pid() AS pid')) as {
          rows: { pid: number }[];
        };
        await knex.raw('SELECT pg_terminate_backend(?)', [rows[0]?.pid ?? 0]);
      },
    }),
    async close() {
      await knex.schema.dropTableIfExists(changedKeysTableName(table));
      await knex.schema.dropTableIfExists(chainHeadsTableName(table));
      await knex.schema.dropTableIfExists(table);
      await close();
    },
  };
}
