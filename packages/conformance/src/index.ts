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
export { isCI } from './is-ci';
export { runStorageConformance } from './storage/index';
export { isUniqueViolation } from './unique-violation';
