import { ConfigurationError } from '@eventlog/core';
import { tableIndexes, tableNameOf } from '@eventlog/sql';
import type { Model, ModelStatic, Sequelize } from 'sequelize';
import {
  DEFAULT_MODEL_NAME,
  type EventLogAttributes,
  type EventLogCreationAttributes,
  type EventLogTableOptions,
  modelAttributes,
} from './columns';
import { dialectOfSequelize } from './session';

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
  const tableName = tableNameOf(options);
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
  const indexes = tableIndexes(tableName).map(({ columns, ...index }) => ({
    ...index,
    fields: columns,
  }));
  const attributes = modelAttributes(dialectOfSequelize(sequelize).kind);
  return sequelize.define<EventLogInstance>(modelName, attributes, {
    tableName,
    timestamps: false,
    indexes,
  });
}
