/**
 * What the SQL storages of eventlog share (`@eventlog/adapter-knex`, `@eventlog/adapter-sequelize`):
 * the table layout as data, the dialects, every statement but the inserts, the row mapping and
 * the hash chain protocol, over a small `SqlSession` each adapter supplies with its insert path.
 * For adapter authors; applications never need it.
 */

export { sqlChainStorage } from './chain';
export { anyChangedKeys, backfillChangedKeys, writeChangedKeys } from './changed-keys';
export { copyEntries } from './copy';
export { type DialectKind, type SqlDialect, sqlDialect } from './dialect';
export { headStatements } from './heads';
export {
  ftsPhrase,
  indexableSearch,
  isStoredId,
  likePattern,
  MIN_INDEXED_SEARCH,
  readSqlCursor,
  sqlCursorAfter,
} from './keys';
export {
  batchIndex,
  CHAIN_COLUMNS,
  CHANGED_KEY_COLUMNS,
  type ColumnType,
  chainHeadsTableName,
  chainSeqIndex,
  changedKeyIndex,
  changedKeysTableName,
  DEFAULT_TABLE_NAME,
  ENTRY_COLUMNS,
  HEAD_COLUMNS,
  HISTORY_COLUMNS,
  indexName,
  type SqlColumn,
  type SqlIndex,
  TABLE_COLUMNS,
  tableIndexes,
  tableNameOf,
} from './layout';
export {
  createMonthPartitioned,
  ensureMonthPartitions,
  type MonthPartitionOptions,
  monthsAheadOf,
  type PartitionOptions,
} from './partition-months';
export { purgePartitions } from './partition-purge';
export {
  addMonthDdl,
  addMonths,
  defaultMonthsSql,
  dropPartitionedDdl,
  eventIdsTableName,
  isPartitioned,
  monthStart,
  type PartitionRow,
  partitionedParents,
  partitionedTableDdl,
  partitionsOf,
  qualifiedName,
} from './partitions';
export { type LogStatements, logStatements, type SqlTarget } from './queries';
export {
  anyBatched,
  chainHeadFromRow,
  columnReader,
  fromRow,
  insertedEntry,
  type NewSqlRow,
  type SqlRow,
  type SqlValue,
  toChainedRow,
  toJsonText,
  toRow,
} from './row';
export {
  createSearchIndex,
  dropSearchIndex,
  messageTrigramIndexName,
  type SearchIndexTarget,
  searchTableExists,
  searchTableName,
  toolMessageTrigramIndexName,
} from './search-index';
export type { ColumnRows, CopyFrom, SqlAdapter, SqlSession } from './session';
export {
  Binds,
  dollarNumber,
  type Placeholder,
  preparedName,
  questionMark,
  type Statement,
  whereClause,
} from './statement';
export { type SqlEventLogStorage, sqlStorage } from './storage';
