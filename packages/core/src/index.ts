export { EventLogAction } from './action';
export { type EventLogContext, getContext, runWithContext } from './context';
export { cursorInstant, decodeCursor, encodeCursor } from './cursor';
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
export { changedKeysOf } from './history/changed-keys';
export type { ObjectState } from './history/fold';
export * from './http';
export * from './integrity/index';
export {
  DEFAULT_MASK,
  DEFAULT_SECRET_KEYS,
  isSecretKey,
  normalizeKey,
  type RedactOptions,
  redact,
} from './json/redact';
export {
  type JsonEncodeOptions,
  type JsonPrimitive,
  type JsonValue,
  toJsonValue,
} from './json/to-json-value';
export type { MemoryHead, MemoryRaw } from './memory-chain';
export { type MemoryStorage, type MemoryTransaction, memoryStorage } from './memory-storage';
export { pageFromRows } from './page';
export {
  defaultResolveActor,
  defaultResolveObject,
  type ResolvedActor,
  type ResolvedObject,
} from './refs';
export {
  type ActorRef,
  actorRefSchema,
  type ChainFields,
  type Changes,
  changesSchema,
  DEFAULT_PAGE_SIZE,
  type EventLog,
  type EventLogPage,
  type EventLogQuery,
  eventLogQuerySchema,
  eventLogSchema,
  type JsonObject,
  jsonObjectSchema,
  type LogInput,
  logInputSchema,
  MAX_PAGE_SIZE,
  type NewEventLog,
  type ObjectRef,
  objectRefSchema,
  type StorageQuery,
  UNCHAINED,
} from './schemas';
export { EventLogService, type LogManyOptions, type LogOptions } from './service';
export {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_PAYLOAD_BYTES,
  type EventLogServiceOptions,
} from './service-options';
export type {
  DeleteFilter,
  EventLogStorage,
  InsertOptions,
  StorageCapabilities,
  TransactionOf,
} from './storage';
export {
  type MissingPlaceholder,
  type RenderedTemplate,
  type RenderOptions,
  renderTemplate,
} from './template/index';
export { TIMESTAMP_KEY, toTimestampKey } from './timestamp-key';
export { TIMESTAMP_RANGE } from './timestamp-range';
