export type { PartitionOptions } from '@eventlog/sql';
export { chainHeadsTableName, DEFAULT_TABLE_NAME } from '@eventlog/sql';
export { captureModel, type SequelizeCapture } from './capture/capture-model';
export type { RevertOptions } from './capture/revert';
export {
  DEFAULT_MODEL_NAME,
  type EventLogAttributes,
  type EventLogCreationAttributes,
  type EventLogTableOptions,
} from './columns';
export {
  createEventLogTable,
  type EventLogMigration,
  eventLogHistoryMigration,
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
export { type EnsurePartitionsOptions, ensurePartitions } from './partitions';
export { eventLogSearchMigration } from './search-index';
export {
  type SequelizeEventLogStorage,
  type SequelizeStorageOptions,
  sequelizeStorage,
} from './sequelize-storage';
