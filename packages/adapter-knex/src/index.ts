export { type KnexEventLogStorage, type KnexStorageOptions, knexStorage } from './knex-storage';
export {
  chainHeadsTableName,
  createEventLogTable,
  DEFAULT_TABLE_NAME,
  type EventLogMigration,
  type EventLogTableOptions,
  eventLogIntegrityMigration,
  eventLogMigration,
} from './schema';
