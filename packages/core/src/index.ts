/**
 * `@eventlog/core` for applications: `EventLogService`, its input and output types, the typed
 * errors, `createDiffSchema`, `renderTemplate`, redaction, the request context and the in-memory
 * storage. Adapter authors import `@eventlog/core/storage`; framework adapter authors
 * `@eventlog/core/http`.
 *
 * @module
 */
export { EventLogAction } from './action';
export {
  type CaptureAction,
  CaptureError,
  type CaptureErrorReason,
  type CaptureOptions,
  type CaptureTemplate,
  RevertConflictError,
  type RevertPatch,
} from './capture/index';
export { type EventLogContext, getContext, runWithContext } from './context';
export { createDiffSchema, type DiffOptions } from './diff/index';
export {
  ConfigurationError,
  ConflictError,
  DiffError,
  EventLogError,
  type EventLogErrorCode,
  isEventLogError,
  StorageError,
  TemplateError,
  ValidationError,
  type ValidationIssue,
} from './errors';
export type { ObjectState } from './history/fold';
export type { StateAtOptions } from './history/object-history';
export type { BrokenLink } from './integrity/chain-walk';
export { type Checkpoint, type KeyInput, parseCheckpoint } from './integrity/checkpoint';
export { IntegrityError } from './integrity/integrity-error';
export type { IntegrityOptions, IntegrityPartition } from './integrity/options';
export type { IntegrityStatus, PartitionStatus } from './integrity/status';
export type { CheckpointOptions } from './integrity/take-checkpoint';
export type { VerifyOptions, VerifyResult } from './integrity/verify';
export type { PartitionResult, UnchainedRows } from './integrity/verify-partition';
export {
  DEFAULT_MASK,
  DEFAULT_SECRET_KEYS,
  isSecretKey,
  type RedactOptions,
  redact,
} from './json/redact';
export { type MemoryStorage, type MemoryTransaction, memoryStorage } from './memory-storage';
export {
  defaultResolveActor,
  defaultResolveObject,
  type ResolvedActor,
  type ResolvedObject,
} from './refs';
export {
  type ActorRef,
  type Changes,
  DEFAULT_COUNT_LIMIT,
  DEFAULT_PAGE_SIZE,
  type EventLog,
  type EventLogPage,
  type EventLogQuery,
  type JsonObject,
  type LogInput,
  MAX_COUNT_LIMIT,
  MAX_PAGE_SIZE,
  type ObjectRef,
} from './schemas';
export { EventLogService, type LogManyOptions, type LogOptions } from './service';
export {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_PAYLOAD_BYTES,
  type EventLogServiceOptions,
} from './service-options';
export {
  type MissingPlaceholder,
  type RenderedTemplate,
  type RenderOptions,
  renderTemplate,
} from './template/index';
export { TIMESTAMP_RANGE } from './timestamp-range';
