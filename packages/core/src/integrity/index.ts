export { CanonicalJsonError, canonicalJson } from './canonical-json';
export { chainStorageOf } from './chain-storage-of';
export type { BrokenLink } from './chain-walk';
export {
  type Checkpoint,
  checkpointPayload,
  checkpointSchema,
  checkpointSignatureValid,
  type KeyInput,
  parseCheckpoint,
  signCheckpoint,
} from './checkpoint';
export { CUT_ACTION, CUT_TOOL } from './cut-record';
export {
  chainInput,
  contentHash,
  entryHash,
  GENESIS_HASH,
  type HashedFields,
  hashedFields,
  hashMatches,
  linkEntries,
  linkHash,
} from './hash';
export { IntegrityError } from './integrity-error';
export { linkByPartition, partitionsOf } from './link-partitions';
export {
  checkPartitionName,
  DEFAULT_PARTITION,
  type IntegrityOptions,
  type IntegrityPartition,
  partitionFunction,
} from './options';
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
} from './port';
export { purgeChains } from './purge';
export { type IntegrityStatus, integrityStatus, type PartitionStatus } from './status';
export { type CheckpointOptions, takeCheckpoint } from './take-checkpoint';
export { type VerifyOptions, type VerifyResult, verifyChain } from './verify';
export type { PartitionResult, UnchainedRows } from './verify-partition';
