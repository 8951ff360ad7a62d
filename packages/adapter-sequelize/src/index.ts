export {
  chainHeadsTableName,
  DEFAULT_MODEL_NAME,
  DEFAULT_TABLE_NAME,
  type EventLogAttributes,
  type EventLogCreationAttributes,
  type EventLogIndex,
  type EventLogTableOptions,
  eventLogColumns,
  eventLogIndexes,
} from './columns';
export {
  createEventLogTable,
  type EventLogMigration,
  eventLogIntegrityMigration,
  eventLogMigration,
  type UmzugMigrationParams,
} from './migration';
export {
  defineEventLogModel,
  type EventLogInstance,
  type EventLogModel,
  type EventLogModelOptions,
} from './model';
export {
  type SequelizeEventLogStorage,
  type SequelizeStorageOptions,
  sequelizeStorage,
} from './sequelize-storage';
