import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filledEntry, rawRowToEntry } from '@eventlog/conformance/sql';
import type { EventLog } from '@eventlog/core';
import { createDatabase, postgresUnavailable, postgresUrl } from '@eventlog/test-servers/postgres';
import { type Options, QueryTypes, Sequelize } from 'sequelize';

/** An open database for one test file: a URL or file other clients (knex) can open too. */
export interface OpenBackend {
  sequelize: Sequelize;
  /** SQLite file path, or PostgreSQL URL of this file's own database. */
  location: string;
  /** A second Sequelize instance on the same database. */
  connect(): Sequelize;
  close(): Promise<void>;
}

/** One database the adapter tests run against. */
export interface Backend {
  name: string;
  /** Why it cannot run here (PostgreSQL not started); undefined when it can. */
  unavailable: string | undefined;
  open(): Promise<OpenBackend>;
}

/**
 * SQLite on a temp file (Sequelize opens one connection per transaction, so not :memory:), with
 * `options` added to Sequelize's.
 */
export const sqliteBackend = (options: Options = {}): Backend => ({
  name: 'SQLite file',
  unavailable: undefined,
  async open() {
    const dir = await mkdtemp(join(tmpdir(), 'eventlog-seq-'));
    const location = join(dir, 'test.db');
    const connect = () =>
      new Sequelize({ dialect: 'sqlite', storage: location, logging: false, ...options });
    const sequelize = connect();
    return {
      sequelize,
      location,
      connect,
      async close() {
        await sequelize.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
});

/** SQLite on a temp file, Sequelize's defaults. */
export const sqliteFile: Backend = sqliteBackend();

/** A fresh database on the global setup's PostgreSQL cluster, dropped on close. */
export const postgres: Backend = {
  name: 'PostgreSQL',
  unavailable: postgresUnavailable(),
  async open() {
    const db = await createDatabase(postgresUrl());
    const connect = () =>
      new Sequelize(db.url, { dialect: 'postgres', logging: false, pool: { max: 4 } });
    const sequelize = connect();
    return {
      sequelize,
      location: db.url,
      connect,
      async close() {
        await sequelize.close();
        await db.drop();
      },
    };
  },
};

export const backends: Backend[] = [sqliteFile, postgres];

/** A unique table name, so tests never see each other's rows. */
export const randomTable = (): string => `eventlog_${Math.random().toString(36).slice(2, 10)}`;

/**
 * Reads a row with plain SQL and maps it with this file's own code, not the adapter's, so tests
 * check what was really written.
 */
export async function readRaw(
  sequelize: Sequelize,
  table: string,
  id: string,
): Promise<EventLog | null> {
  if (!/^\d{1,15}$/.test(id)) return null;
  const [r] = await sequelize.query<Record<string, unknown>>(
    `SELECT * FROM "${table}" WHERE "id" = ${Number(id)}`,
    { type: QueryTypes.SELECT, raw: true },
  );
  if (!r) return null;
  return rawRowToEntry(r);
}

/** A complete entry with distinct values; `overrides` win. */
export const entry = filledEntry;
