/** Options shared by the storage, `createEventLogTable` and `eventLogMigration`. */
export interface EventLogTableOptions {
  /** Table name; default `"eventlog"`. */
  tableName?: string;
}
