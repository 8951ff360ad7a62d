import type {
  ModelAttributeColumnOptions,
  QueryInterface,
  Sequelize,
  Transaction,
} from 'sequelize';
import {
  DEFAULT_TABLE_NAME,
  type EventLogTableOptions,
  eventLogColumns,
  eventLogIndexes,
} from './columns';
import { dialectOf } from './dialect';

/** Creates the table and its indexes with `queryInterface`, inside `transaction`. */
async function defineTable(
  queryInterface: QueryInterface,
  tableName: string,
  transaction: Transaction,
): Promise<void> {
  const kind = dialectOf(queryInterface.sequelize).kind;
  // createTable takes columns keyed by column name; the model's getters/setters do not belong.
  const columns: Record<string, ModelAttributeColumnOptions> = {};
  for (const { field, get: _get, set: _set, ...column } of Object.values(eventLogColumns(kind))) {
    columns[field] = column;
  }
  await queryInterface.createTable(tableName, columns, { transaction });
  for (const index of eventLogIndexes(tableName)) {
    if (index.unique && kind === 'postgres') {
      // A constraint, as knex's `unique()` makes on PostgreSQL, so both adapters' tables match.
      await queryInterface.addConstraint(tableName, {
        type: 'unique',
        name: index.name,
        fields: index.fields,
        transaction,
      });
    } else {
      await queryInterface.addIndex(tableName, index.fields, {
        name: index.name,
        unique: index.unique,
        transaction,
      });
    }
  }
}

const queryInterfaceOf = (target: Sequelize | QueryInterface): QueryInterface =>
  'getQueryInterface' in target ? target.getQueryInterface() : target;

/**
 * Creates the event log table and its indexes unless the table exists (idempotent: safe to call
 * at every start-up). The DDL runs in one transaction, so a failure leaves no half-built table.
 */
export async function createEventLogTable(
  target: Sequelize | QueryInterface,
  options: EventLogTableOptions = {},
): Promise<void> {
  const queryInterface = queryInterfaceOf(target);
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  await queryInterface.sequelize.transaction(async (transaction) => {
    const exists = await queryInterface.tableExists(tableName, { transaction });
    if (!exists) await defineTable(queryInterface, tableName, transaction);
  });
}

/** What umzug passes to a migration: the query interface as `context`. */
export interface UmzugMigrationParams {
  context: QueryInterface;
}

/** A migration for both umzug (`up({ context })`) and sequelize-cli (`up(queryInterface, Sequelize)`). */
export interface EventLogMigration {
  up(params: UmzugMigrationParams | QueryInterface, sequelizeClass?: unknown): Promise<void>;
  down(params: UmzugMigrationParams | QueryInterface, sequelizeClass?: unknown): Promise<void>;
}

const fromParams = (params: UmzugMigrationParams | QueryInterface): QueryInterface =>
  'context' in params ? params.context : params;

/**
 * The table as a migration. With umzug: `migrations: [{ name: '001-eventlog', ...eventLogMigration() }]`
 * and `context: sequelize.getQueryInterface()`. With sequelize-cli, a file in `migrations/`:
 * `module.exports = eventLogMigration();`. `up` creates the table and its indexes in one
 * transaction (failing if the table exists, like any migration); `down` drops it.
 */
export function eventLogMigration(options: EventLogTableOptions = {}): EventLogMigration {
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  return {
    async up(params) {
      const queryInterface = fromParams(params);
      await queryInterface.sequelize.transaction((transaction) =>
        defineTable(queryInterface, tableName, transaction),
      );
    },
    async down(params) {
      await fromParams(params).dropTable(tableName);
    },
  };
}
