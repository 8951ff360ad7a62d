export { chainHeadsTableName, DEFAULT_TABLE_NAME } from '@eventlog/sql';
export { type KnexEventLogStorage, type KnexStorageOptions, knexStorage } from './knex-storage';
export {
  createEventLogTable,
  type EventLogMigration,
  type EventLogTableOptions,
  eventLogHistoryMigration,
  eventLogIntegrityMigration,
  eventLogMigration,
} from './schema';
