import { ConfigurationError } from '@eventlog/core';
import type { Model, ModelStatic, Sequelize } from 'sequelize';
import {
  DEFAULT_MODEL_NAME,
  DEFAULT_TABLE_NAME,
  type EventLogAttributes,
  type EventLogCreationAttributes,
  type EventLogTableOptions,
  eventLogColumns,
  eventLogIndexes,
} from './columns';
import { dialectOf } from './dialect';

/** Options of `defineEventLogModel` and `sequelizeStorage`. */
export interface EventLogModelOptions extends EventLogTableOptions {
  /** Model name; default `"EventLog"`. */
  modelName?: string;
}

/** An event log row as a Sequelize instance. */
export type EventLogInstance = Model<EventLogAttributes, EventLogCreationAttributes>;
/** The event log model class. */
export type EventLogModel = ModelStatic<EventLogInstance>;

/**
 * Defines the event log model on `sequelize` (or returns it when a model of that name is already
 * defined on the same table; on another table it is a `ConfigurationError`), so the app can query the log with its own Sequelize code. Append-only by intent:
 * nothing in eventlog updates a row. `Model.sync()` creates the same layout and indexes as the
 * migration, but the migration (or `createEventLogTable`) is the recommended way.
 */
export function defineEventLogModel(
  sequelize: Sequelize,
  options: EventLogModelOptions = {},
): EventLogModel {
  const modelName = options.modelName ?? DEFAULT_MODEL_NAME;
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  if (sequelize.isDefined(modelName)) {
    const existing = sequelize.model(modelName) as EventLogModel;
    const current = existing.getTableName() as string | { tableName: string };
    const currentName = typeof current === 'string' ? current : current.tableName;
    // Silently reusing a model bound to another table would read and write the wrong table.
    if (currentName !== tableName) {
      throw new ConfigurationError(
        `Sequelize model "${modelName}" is already defined on table "${currentName}", not "${tableName}": pass another modelName`,
      );
    }
    return existing;
  }
  return sequelize.define<EventLogInstance>(modelName, eventLogColumns(dialectOf(sequelize).kind), {
    tableName,
    timestamps: false,
    indexes: eventLogIndexes(tableName),
  });
}
