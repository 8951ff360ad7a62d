import {
  backfillChangedKeys,
  batchIndex,
  CHAIN_COLUMNS,
  CHANGED_KEY_COLUMNS,
  chainHeadsTableName,
  chainSeqIndex,
  changedKeyIndex,
  changedKeysTableName,
  type DialectKind,
  dollarNumber,
  HISTORY_COLUMNS,
  logStatements,
  type PartitionOptions,
  type SqlColumn,
  type SqlIndex,
  tableIndexes,
  tableNameOf,
} from '@eventlog/sql';
import type { QueryInterface, Sequelize, Transaction } from 'sequelize';
import { type EventLogTableOptions, layoutColumns, tableColumns } from './columns';
import { type EventLogMigration, fromParams } from './migration-shape';
import { createPartitionedTable } from './partitions';
import { defineSearchIndex, removeSearchIndex } from './search-index';

export type { EventLogMigration, UmzugMigrationParams } from './migration-shape';

import { dialectOfSequelize, sequelizeSession } from './session';

const dialectKind = (queryInterface: QueryInterface): DialectKind =>
  dialectOfSequelize(queryInterface.sequelize).kind;

/** Creates the table and its indexes with `queryInterface`, inside `transaction`. */
async function defineTable(
  queryInterface: QueryInterface,
  tableName: string,
  transaction: Transaction,
): Promise<void> {
  const columns = layoutColumns(dialectKind(queryInterface)).table;
  await queryInterface.createTable(tableName, columns, { transaction });
  for (const index of tableIndexes(tableName)) {
    await addIndex(queryInterface, tableName, index, transaction);
  }
}

async function addIndex(
  queryInterface: QueryInterface,
  tableName: string,
  index: SqlIndex,
  transaction: Transaction,
): Promise<void> {
  if (index.unique && dialectKind(queryInterface) === 'postgres') {
    // A constraint, as knex's `unique()` makes on PostgreSQL, so both adapters' tables match.
    await queryInterface.addConstraint(tableName, {
      type: 'unique',
      name: index.name,
      fields: index.columns,
      transaction,
    });
  } else {
    await queryInterface.addIndex(tableName, index.columns, {
      name: index.name,
      unique: index.unique,
      transaction,
    });
  }
}

/** Creates the chain-heads table of `tableName`. */
function defineHeads(
  queryInterface: QueryInterface,
  tableName: string,
  transaction: Transaction,
): Promise<void> {
  return queryInterface.createTable(
    chainHeadsTableName(tableName),
    layoutColumns(dialectKind(queryInterface)).heads,
    {
      transaction,
    },
  );
}

/**
 * Adds the hash chain columns, the `(chain, seq)` index and the chain-heads table to a table
 * created before tamper evidence existed; does nothing for what is already there.
 */
async function upgrade(
  queryInterface: QueryInterface,
  tableName: string,
  transaction: Transaction,
): Promise<void> {
  // describeTable forwards its options to the query, transaction included; its type omits it.
  const columns = await queryInterface.describeTable(tableName, {
    transaction,
  } as Parameters<QueryInterface['describeTable']>[1]);
  if (!('hash' in columns)) {
    for (const [name, column] of Object.entries(layoutColumns(dialectKind(queryInterface)).chain)) {
      await queryInterface.addColumn(tableName, name, column, { transaction });
    }
    await addIndex(queryInterface, tableName, chainSeqIndex(tableName), transaction);
  }
  if (!(await queryInterface.tableExists(chainHeadsTableName(tableName), { transaction }))) {
    await defineHeads(queryInterface, tableName, transaction);
  }
  await upgradeHistory(queryInterface, tableName, transaction);
}

/** Creates the changed-keys table of `tableName` and its index. */
async function defineChangedKeys(
  queryInterface: QueryInterface,
  tableName: string,
  transaction: Transaction,
): Promise<void> {
  const columns = tableColumns(CHANGED_KEY_COLUMNS, dialectKind(queryInterface));
  const keys = changedKeysTableName(tableName);
  await queryInterface.createTable(keys, columns, { transaction });
  await addIndex(queryInterface, keys, changedKeyIndex(tableName), transaction);
}

/** Indexes the changed keys of the entries stored in `tableName` (see `backfillChangedKeys`). */
function backfill(
  queryInterface: QueryInterface,
  tableName: string,
  transaction: Transaction,
): Promise<number> {
  const { sequelize } = queryInterface;
  const dialect = dialectOfSequelize(sequelize);
  const log = logStatements({
    dialect,
    table: dialect.quote(tableName),
    heads: dialect.quote(chainHeadsTableName(tableName)),
    changedKeys: dialect.quote(changedKeysTableName(tableName)),
    placeholder: dollarNumber,
  });
  return backfillChangedKeys(sequelizeSession(sequelize, transaction), log, dialect);
}

/**
 * Adds the history column, its index and the changed-keys table to a table created before they
 * existed, and indexes the changed keys of the entries already stored.
 */
async function upgradeHistory(
  queryInterface: QueryInterface,
  tableName: string,
  transaction: Transaction,
): Promise<void> {
  const columns = await queryInterface.describeTable(tableName, {
    transaction,
  } as Parameters<QueryInterface['describeTable']>[1]);
  if (!('batch_id' in columns)) {
    const history = layoutColumns(dialectKind(queryInterface)).history;
    for (const [name, column] of Object.entries(history)) {
      await queryInterface.addColumn(tableName, name, column, { transaction });
    }
    await addIndex(queryInterface, tableName, batchIndex(tableName), transaction);
  }
  if (!(await queryInterface.tableExists(changedKeysTableName(tableName), { transaction }))) {
    await defineChangedKeys(queryInterface, tableName, transaction);
    await backfill(queryInterface, tableName, transaction);
  }
}

/**
 * Drops `columns` of `tableName` with plain DROP COLUMN (SQLite 3.35+): Sequelize's SQLite
 * `removeColumn` copies the table and loses its indexes.
 */
async function dropColumns(
  queryInterface: QueryInterface,
  tableName: string,
  columns: readonly SqlColumn[],
  transaction: Transaction,
): Promise<void> {
  const quote = dialectOfSequelize(queryInterface.sequelize).quote;
  for (const { name } of columns) {
    await queryInterface.sequelize.query(
      `ALTER TABLE ${quote(tableName)} DROP COLUMN ${quote(name)}`,
      { transaction },
    );
  }
}

const queryInterfaceOf = (target: Sequelize | QueryInterface): QueryInterface =>
  'getQueryInterface' in target ? target.getQueryInterface() : target;

/**
 * Creates the event log table, its indexes and its chain-heads table unless they exist, and adds
 * the hash chain columns to a table created by an earlier version (idempotent: safe to call at
 * every start-up). The DDL runs in one transaction, so a failure leaves no half-built table.
 * It also creates the search index (see `eventLogSearchMigration`, and its `ConfigurationError`
 * when PostgreSQL's `pg_trgm` is missing and may not be created). With `partitionBy: 'month'`
 * (PostgreSQL), the table is partitioned by month instead (see `ensurePartitions`).
 */
export async function createEventLogTable(
  target: Sequelize | QueryInterface,
  options: EventLogTableOptions & PartitionOptions = {},
): Promise<void> {
  const queryInterface = queryInterfaceOf(target);
  const tableName = tableNameOf(options);
  if (options.partitionBy !== undefined) {
    await createPartitionedTable(queryInterface.sequelize, options);
    // An index on the partitioned table is created on every partition, present and future.
    return queryInterface.sequelize.transaction((transaction) =>
      defineSearchIndex(queryInterface, tableName, transaction),
    );
  }
  await queryInterface.sequelize.transaction(async (transaction) => {
    const exists = await queryInterface.tableExists(tableName, { transaction });
    if (!exists) await defineTable(queryInterface, tableName, transaction);
    await upgrade(queryInterface, tableName, transaction);
    await defineSearchIndex(queryInterface, tableName, transaction);
  });
}

/**
 * The table as a migration. With umzug: `migrations: [{ name: '001-eventlog', ...eventLogMigration() }]`
 * and `context: sequelize.getQueryInterface()`. With sequelize-cli, a file in `migrations/`:
 * `module.exports = eventLogMigration();`. `up` creates the table, its indexes (the search index
 * included) and its chain-heads table in one transaction (failing if the table exists, like any migration); `down`
 * drops them.
 */
export function eventLogMigration(options: EventLogTableOptions = {}): EventLogMigration {
  const tableName = tableNameOf(options);
  return {
    async up(params) {
      const queryInterface = fromParams(params);
      await queryInterface.sequelize.transaction(async (transaction) => {
        await defineTable(queryInterface, tableName, transaction);
        await defineHeads(queryInterface, tableName, transaction);
        await defineChangedKeys(queryInterface, tableName, transaction);
        await defineSearchIndex(queryInterface, tableName, transaction);
      });
    },
    async down(params) {
      const queryInterface = fromParams(params);
      await queryInterface.sequelize.transaction((transaction) =>
        removeSearchIndex(queryInterface, tableName, transaction),
      );
      await queryInterface.dropTable(changedKeysTableName(tableName));
      await queryInterface.dropTable(chainHeadsTableName(tableName));
      await queryInterface.dropTable(tableName);
    },
  };
}

/**
 * For tables created by `eventLogMigration()` before history existed (umzug or sequelize-cli
 * shape): `up` adds the `batch_id` column and its index and the changed-keys table, filled from
 * the stored entries; `down` removes them.
 */
export function eventLogHistoryMigration(options: EventLogTableOptions = {}): EventLogMigration {
  const tableName = tableNameOf(options);
  return {
    async up(params) {
      const queryInterface = fromParams(params);
      await queryInterface.sequelize.transaction((transaction) =>
        upgradeHistory(queryInterface, tableName, transaction),
      );
    },
    async down(params) {
      const queryInterface = fromParams(params);
      await queryInterface.sequelize.transaction(async (transaction) => {
        await queryInterface.dropTable(changedKeysTableName(tableName), { transaction });
        await queryInterface.removeIndex(tableName, batchIndex(tableName).name, { transaction });
        await dropColumns(queryInterface, tableName, HISTORY_COLUMNS, transaction);
      });
    },
  };
}

/**
 * For tables created by `eventLogMigration()` before tamper evidence existed (umzug or
 * sequelize-cli shape, like `eventLogMigration`): `up` adds the hash chain columns, the
 * `(chain, seq)` index and the chain-heads table; `down` removes them.
 */
export function eventLogIntegrityMigration(options: EventLogTableOptions = {}): EventLogMigration {
  const tableName = tableNameOf(options);
  return {
    async up(params) {
      const queryInterface = fromParams(params);
      await queryInterface.sequelize.transaction((transaction) =>
        upgrade(queryInterface, tableName, transaction),
      );
    },
    async down(params) {
      const queryInterface = fromParams(params);
      await queryInterface.sequelize.transaction(async (transaction) => {
        await queryInterface.dropTable(chainHeadsTableName(tableName), { transaction });
        const index = chainSeqIndex(tableName).name;
        if (dialectKind(queryInterface) === 'postgres') {
          await queryInterface.removeConstraint(tableName, index, { transaction });
        } else {
          await queryInterface.removeIndex(tableName, index, { transaction });
        }
        await dropColumns(queryInterface, tableName, CHAIN_COLUMNS, transaction);
      });
    },
  };
}
