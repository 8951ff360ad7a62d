export { type KnexEventLogStorage, type KnexStorageOptions, knexStorage } from './knex-storage';
export {
  createEventLogTable,
  DEFAULT_TABLE_NAME,
  type EventLogMigration,
  type EventLogTableOptions,
  eventLogMigration,
} from './schema';
