import { ConfigurationError, ValidationError } from '../errors';
import type { NewEventLog } from '../schemas';

/**
 * How entries are grouped into independent chains: `'default'` (one chain for the whole log,
 * named `"default"`), `'tool'` (one chain per tool, named after it), or a function of the entry
 * returning the chain's name (a tenant id, say): 1 to 255 characters.
 */
export type IntegrityPartition = 'default' | 'tool' | ((entry: NewEventLog) => string);

/** The `integrity` option of `EventLogService`: turns the hash chain on. */
export interface IntegrityOptions {
  /** Default `'default'`: a single chain. */
  partition?: IntegrityPartition;
}

/** The name of the single chain of `partition: 'default'`. */
export const DEFAULT_PARTITION = 'default';

/** Checks a partition name (a verify/checkpoint argument, or what a partition function returned). */
export function checkPartitionName(name: unknown, field = 'partition'): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 255) {
    throw ValidationError.field(field, 'must be a string of 1 to 255 characters');
  }
  return name;
}

/** The function giving an entry's chain name for `options.partition`. */
export function partitionFunction(options: IntegrityOptions): (entry: NewEventLog) => string {
  const partition = options.partition ?? 'default';
  if (partition === 'default') return () => DEFAULT_PARTITION;
  if (partition === 'tool') return (entry) => entry.tool;
  if (typeof partition === 'function') {
    return (entry) => checkPartitionName(partition(entry));
  }
  throw new ConfigurationError(
    `integrity.partition must be 'default', 'tool' or a function, not ${JSON.stringify(partition)}`,
  );
}
