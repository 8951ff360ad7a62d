export type { StorageConformanceOptions, StorageHarness } from './harness';
export { runStorageConformance } from './storage/index';
