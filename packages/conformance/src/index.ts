export {
  type CaptureConformanceOptions,
  type CaptureHarness,
  type CaptureSetup,
  type CaptureWriteOptions,
  type ItemRow,
  type ItemWhere,
  type NewItem,
  type OutsideTransactionRule,
  runCaptureConformance,
} from './capture/index';
export { describeSuite } from './describe-suite';
export type { StorageConformanceOptions, StorageHarness, TamperHooks } from './harness';
export { runIntegrityConformance } from './integrity/index';
export { runStorageConformance } from './storage/index';
