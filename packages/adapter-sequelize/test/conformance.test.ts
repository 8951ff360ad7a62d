import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStorageConformance, type StorageHarness } from '@eventlog/conformance';
import { refuseChangedKeySql } from '@eventlog/conformance/sql';
import { changedKeysTableName, dropPartitionedDdl } from '@eventlog/sql';
import { createDatabase, postgresUnavailable, postgresUrl } from '@eventlog/test-servers/postgres';
// A port free now, so nothing listens there: connections are refused at once.
import { freePort } from '@eventlog/test-servers/server-process';
import { QueryTypes, Sequelize, type Transaction } from 'sequelize';
import { afterAll } from 'vitest';
import {
  chainHeadsTableName,
  createEventLogTable,
  eventLogHistoryMigration,
  sequelizeStorage,
} from '../src/index';
import { MAX_ROWS } from '../src/insert';
import { randomTable, readRaw } from './support';

/** A fresh table on `sequelize`, and the harness around it; `release` frees the rest. */
async function harness(
  sequelize: Sequelize,
  release: () => Promise<void>,
  partitioned = false,
): Promise<StorageHarness<Transaction>> {
  const table = randomTable();
  await createEventLogTable(sequelize, {
    tableName: table,
    ...(partitioned && { partitionBy: 'month' as const, monthsAhead: 1 }),
  });
  return {
    storage: sequelizeStorage(sequelize, { tableName: table }),
    async writeRaw(row) {
      const ts = sequelize.getDialect() === 'postgres' ? 'CAST($1 AS timestamptz)' : '$1';
      await sequelize.query(
        `INSERT INTO "${table}" ("timestamp", "message", "tool", "action") VALUES (${ts}, $2, $3, $4)`,
        { bind: [row.timestamp, row.message, row.tool, row.action] },
      );
    },
    insertChunk: MAX_ROWS[sequelize.getDialect() === 'postgres' ? 'postgres' : 'sqlite'],
    readRaw: (id) => readRaw(sequelize, table, id),
    async readChangedKeys(id) {
      const rows = await sequelize.query<{ changed_key: string }>(
        `SELECT "changed_key" FROM "${changedKeysTableName(table)}" WHERE "entry_id" = $1`,
        { bind: [Number(id)], type: QueryTypes.SELECT },
      );
      return rows.map((r) => r.changed_key).sort();
    },
    async refuseChangedKey(key) {
      const dialect = sequelize.getDialect() === 'postgres' ? 'postgres' : 'sqlite';
      await sequelize.query(refuseChangedKeySql(dialect, changedKeysTableName(table), key));
    },
    historyMigration: {
      down: () =>
        eventLogHistoryMigration({ tableName: table }).down(sequelize.getQueryInterface()),
      up: () => eventLogHistoryMigration({ tableName: table }).up(sequelize.getQueryInterface()),
    },
    withTransaction: (fn) => sequelize.transaction((t) => fn(t)),
    ...(sequelize.getDialect() === 'postgres' && {
      async killConnection(transaction: Transaction) {
        const [rows] = (await sequelize.query('SELECT pg_backend_pid() AS pid', {
          transaction,
        })) as [{ pid: number }[], unknown];
        await sequelize.query('SELECT pg_terminate_backend($1)', { bind: [rows[0]?.pid ?? 0] });
      },
    }),
    async close() {
      const queryInterface = sequelize.getQueryInterface();
      if (partitioned) {
        for (const sql of dropPartitionedDdl(table)) await sequelize.query(sql);
      } else {
        await queryInterface.dropTable(changedKeysTableName(table));
        await queryInterface.dropTable(chainHeadsTableName(table));
        await queryInterface.dropTable(table);
      }
      await sequelize.close();
      await release();
    },
  };
}

runStorageConformance<Transaction>({
  name: 'sequelize (SQLite file)',
  capabilities: { transactions: true, eventIdLookup: true, integrity: true },
  async create() {
    const dir = await mkdtemp(join(tmpdir(), 'eventlog-seq-'));
    const sequelize = new Sequelize({
      dialect: 'sqlite',
      storage: join(dir, 'test.db'),
      logging: false,
    });
    return harness(sequelize, () => rm(dir, { recursive: true, force: true }));
  },
  async broken() {
    // SQLite has no server to be down: a closed instance is the closest real failure.
    const sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
    await sequelize.close();
    return sequelizeStorage(sequelize);
  },
});

// One database for this file, so `sequelize.sync`-style work elsewhere never collides with it.
let database: Promise<{ url: string; drop(): Promise<void> }> | undefined;
afterAll(async () => {
  await (await database)?.drop();
});

// The same suite on a plain table and on one partitioned by month.
for (const partitioned of [false, true]) {
  runStorageConformance<Transaction>({
    name: partitioned ? 'sequelize (PostgreSQL partitioned by month)' : 'sequelize (PostgreSQL)',
    capabilities: { transactions: true, eventIdLookup: true, integrity: true },
    unavailable: postgresUnavailable(),
    async create() {
      database ??= createDatabase(postgresUrl());
      const { url } = await database;
      const sequelize = new Sequelize(url, {
        dialect: 'postgres',
        logging: false,
        pool: { max: 4 },
      });
      return harness(sequelize, async () => {}, partitioned);
    },
    async broken() {
      const url = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
      const sequelize = new Sequelize(url, {
        dialect: 'postgres',
        logging: false,
        pool: { max: 1 },
      });
      return sequelizeStorage(sequelize);
    },
  });
}
