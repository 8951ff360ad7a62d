export { describeSuite } from './describe-suite';
export type { StorageConformanceOptions, StorageHarness, TamperHooks } from './harness';
export { runIntegrityConformance } from './integrity/index';
export { isCI } from './is-ci';
export { runStorageConformance } from './storage/index';
export { isUniqueViolation } from './unique-violation';
