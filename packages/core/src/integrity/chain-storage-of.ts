import { ConfigurationError } from '../errors';
import type { EventLogStorage } from '../storage';
import type { ChainStorage } from './port';

const MEMBERS = [
  'appendChained',
  'readChain',
  'chainHead',
  'listChains',
  'cutChain',
  'recordCheckpoint',
] as const;

/**
 * The storage as a `ChainStorage`, or a `ConfigurationError` when it does not declare
 * `capabilities.integrity` or lacks a member (an adapter bug better found at start-up).
 */
export function chainStorageOf<Tx>(storage: EventLogStorage<Tx>): ChainStorage<Tx> {
  if (storage.capabilities.integrity !== true) {
    throw new ConfigurationError(
      `the ${storage.name} storage does not support integrity (capabilities.integrity is not true)`,
    );
  }
  const missing = MEMBERS.filter((m) => typeof storage[m] !== 'function');
  if (missing.length > 0) {
    throw new ConfigurationError(
      `the ${storage.name} storage declares integrity but lacks ${missing.join(', ')}`,
    );
  }
  return storage as ChainStorage<Tx>;
}
