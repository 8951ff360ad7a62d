/**
 * `@eventlog/core/storage`, for storage adapter authors.
 *
 * An adapter is a factory returning an {@link EventLogStorage}: `insert` appends entries (inside
 * the caller's transaction when one is given), `find` filters, orders by (timestamp, id) and
 * pages with a keyset cursor, `get` reads one entry, `deleteBefore` is retention. Declare what
 * the storage can do beyond that in `capabilities`; a storage that keeps the hash chain also
 * implements {@link ChainStorage}. Core validates every input before it reaches the storage and
 * wraps every call, so an adapter throws the driver's errors as they are.
 *
 * Helpers keep every adapter's wire format the same: {@link encodeCursor} / {@link decodeCursor}
 * for cursors, {@link pageFromRows} for the `limit + 1` rows a query fetched,
 * {@link toTimestampKey} for the sortable timestamp text, {@link linkByPartition} and
 * {@link entryHash} for the chain. Then run the suite of `@eventlog/conformance` against a real
 * database; `memoryStorage()` from `@eventlog/core` is the reference implementation.
 *
 * @module
 */
export {
  type CaptureDiff,
  type CaptureInputOptions,
  type CaptureRow,
  type CaptureSettings,
  captureInputs,
  captureSettings,
  planRevert,
  type RevertPlan,
  type RowChange,
  revertPatchOf,
  rowId,
  trackedFields,
} from './capture/index';
export { countLimitOf, type PageCount, pageCount } from './count';
export { cursorInstant, decodeCursor, encodeCursor } from './cursor';
export { entryFields } from './entry-fields';
export { changedKeysOf } from './history/changed-keys';
export { contentHash, entryHash, GENESIS_HASH, linkHash } from './integrity/hash';
export { linkByPartition, partitionsOf } from './integrity/link-partitions';
export type {
  ChainEntry,
  ChainedEntry,
  ChainHead,
  ChainInput,
  ChainLinker,
  ChainPosition,
  ChainRange,
  ChainStorage,
  CutRecorder,
  RecordedCheckpoint,
} from './integrity/port';
export { pageFromRows } from './page';
export {
  type ChainFields,
  eventLogQuerySchema,
  type NewEventLog,
  type StorageQuery,
  UNCHAINED,
} from './schemas';
export type {
  DeleteFilter,
  EventLogStorage,
  InsertOptions,
  StorageCapabilities,
  TransactionOf,
} from './storage';
export { TIMESTAMP_KEY, toTimestampKey } from './timestamp-key';
