import type { EventLogStorage } from './storage';

/**
 * What `EventLogService` lends the modules its history and integrity methods delegate to: its
 * storage, its clock, and its way of calling the storage.
 */
export interface ServiceContext<Tx> {
  readonly storage: EventLogStorage<Tx>;
  readonly clock: () => Date;
  /**
   * Runs one storage operation: a driver failure becomes a `StorageError` naming the adapter and
   * `operation`, an `EventLogError` passes through.
   */
  call<T>(operation: string, fn: () => Promise<T>): Promise<T>;
}
