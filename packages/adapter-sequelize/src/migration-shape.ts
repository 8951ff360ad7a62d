import type { QueryInterface } from 'sequelize';

/** What umzug passes to a migration: the query interface as `context`. */
export interface UmzugMigrationParams {
  context: QueryInterface;
}

/** A migration for both umzug (`up({ context })`) and sequelize-cli (`up(queryInterface, Sequelize)`). */
export interface EventLogMigration {
  up(params: UmzugMigrationParams | QueryInterface, sequelizeClass?: unknown): Promise<void>;
  down(params: UmzugMigrationParams | QueryInterface, sequelizeClass?: unknown): Promise<void>;
}

/** The query interface of either call shape. */
export const fromParams = (params: UmzugMigrationParams | QueryInterface): QueryInterface =>
  'context' in params ? params.context : params;
