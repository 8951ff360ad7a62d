import { ConfigurationError, ValidationError } from '../errors';
import type { NewEventLog } from '../schemas';
import type { ServiceContext } from '../service-context';
import type { EventLogStorage } from '../storage';
import { chainStorageOf } from './chain-storage-of';
import type { Checkpoint } from './checkpoint';
import { type IntegrityOptions, partitionFunction } from './options';
import type { ChainStorage } from './port';
import { purgeChains } from './purge';
import { type IntegrityStatus, integrityStatus } from './status';
import { type CheckpointOptions, takeCheckpoint } from './take-checkpoint';
import { type VerifyOptions, type VerifyResult, verifyChain } from './verify';

/** The hash chain of a service whose `integrity` option is on. */
export interface ServiceChain<Tx> {
  storage: ChainStorage<Tx>;
  partitionOf: (e: NewEventLog) => string;
  /** One chain for the whole log (`partition: 'default'`): the default of `checkpoint()`. */
  single: boolean;
}

/** The service's chain for `options.integrity`, or null when integrity is off. */
export function serviceChainOf<Tx>(
  storage: EventLogStorage<Tx>,
  options: IntegrityOptions | undefined,
): ServiceChain<Tx> | null {
  if (options === undefined) return null;
  return {
    storage: chainStorageOf(storage),
    partitionOf: partitionFunction(options),
    single: (options.partition ?? 'default') === 'default',
  };
}

/** What the integrity operations of `EventLogService` read: the service and its chain. */
export interface IntegrityContext<Tx> extends ServiceContext<Tx> {
  readonly chain: ServiceChain<Tx> | null;
}

/** `EventLogService.purge`: see its TSDoc. */
export async function purge<Tx>(
  ctx: IntegrityContext<Tx>,
  options: { before: Date; tool?: string | string[] },
): Promise<number> {
  const before = options?.before;
  if (!(before instanceof Date) || Number.isNaN(before.getTime())) {
    throw ValidationError.field('before', 'must be a valid Date');
  }
  const tools = options.tool === undefined ? undefined : [options.tool].flat();
  if (tools?.some((t) => typeof t !== 'string' || t.length === 0)) {
    throw ValidationError.field('tool', 'must be a non-empty string or an array of them');
  }
  const { storage, chain } = ctx;
  if (chain !== null) {
    const chained = await ctx.call('cutChain', () =>
      purgeChains(chain.storage, before, tools, ctx.clock, (query) => storage.find(query)),
    );
    const loose = await ctx.call('deleteBefore', () =>
      storage.deleteBefore(before, { ...(tools && { tool: tools }), unchained: true }),
    );
    return chained + loose;
  }
  return ctx.call('deleteBefore', () =>
    storage.deleteBefore(before, tools === undefined ? undefined : { tool: tools }),
  );
}

/** `EventLogService.verify`: see its TSDoc. */
export async function verify<Tx>(
  ctx: IntegrityContext<Tx>,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const { storage, partitionOf } = requireIntegrity(ctx, 'verify');
  return ctx.call('readChain', () => verifyChain(storage, options, partitionOf));
}

/** `EventLogService.checkpoint`: see its TSDoc. */
export async function checkpoint<Tx>(
  ctx: IntegrityContext<Tx>,
  options: CheckpointOptions,
): Promise<Checkpoint> {
  const { storage, single } = requireIntegrity(ctx, 'checkpoint');
  if (options.partition === undefined && !single) {
    throw ValidationError.field(
      'partition',
      'is required: integrity.partition gives the log more than one chain',
    );
  }
  return ctx.call('recordCheckpoint', () => takeCheckpoint(storage, options, ctx.clock));
}

/** `EventLogService.integrityStatus`: see its TSDoc. */
export async function status<Tx>(ctx: IntegrityContext<Tx>): Promise<IntegrityStatus> {
  const { storage } = requireIntegrity(ctx, 'integrityStatus');
  return ctx.call('readChain', () => integrityStatus(storage, ctx.clock()));
}

/** `EventLogService.partitions`: see its TSDoc. */
export async function partitions<Tx>(ctx: IntegrityContext<Tx>): Promise<string[]> {
  const { storage } = requireIntegrity(ctx, 'partitions');
  return ctx.call('listChains', () => storage.listChains());
}

function requireIntegrity<Tx>(ctx: IntegrityContext<Tx>, operation: string): ServiceChain<Tx> {
  if (ctx.chain === null) {
    throw new ConfigurationError(`${operation}() needs the service's integrity option`);
  }
  return ctx.chain;
}
