export { chainHeadsTableName, DEFAULT_TABLE_NAME } from '@eventlog/sql';
export { type KnexEventLogStorage, type KnexStorageOptions, knexStorage } from './knex-storage';
export {
  createEventLogTable,
  type EventLogMigration,
  type EventLogTableOptions,
  eventLogIntegrityMigration,
  eventLogLongTextMigration,
  eventLogMigration,
} from './schema';
