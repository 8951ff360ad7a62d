export { describeSuite } from './describe-suite';
export type { StorageConformanceOptions, StorageHarness, TamperHooks } from './harness';
export { runIntegrityConformance } from './integrity/index';
export { runStorageConformance } from './storage/index';
