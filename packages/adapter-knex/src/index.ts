export { chainHeadsTableName, DEFAULT_TABLE_NAME } from '@eventlog/sql';
export {
  type CapturedTable,
  type CaptureWriteOptions,
  captureTable,
  type RevertOptions,
} from './capture/capture-table';
export type { CaptureWhere } from './capture/table-writer';
export { type KnexEventLogStorage, type KnexStorageOptions, knexStorage } from './knex-storage';
export {
  type EnsurePartitionsOptions,
  ensurePartitions,
  type PartitionOptions,
} from './partitions';
export {
  createEventLogTable,
  type EventLogMigration,
  type EventLogTableOptions,
  eventLogHistoryMigration,
  eventLogIntegrityMigration,
  eventLogLongTextMigration,
  eventLogMigration,
} from './schema';
export { eventLogSearchMigration } from './search-index';
