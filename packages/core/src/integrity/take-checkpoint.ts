import { type Checkpoint, type KeyInput, signCheckpoint } from './checkpoint';
import { GENESIS_HASH } from './hash';
import { checkPartitionName, DEFAULT_PARTITION } from './options';
import type { ChainStorage } from './port';

/** Options of `checkpoint()`. */
export interface CheckpointOptions {
  /** Default `"default"`. */
  partition?: string;
  /** Ed25519 private key: the checkpoint is then signed. */
  privateKey?: KeyInput;
}

/**
 * Reads the partition's head, records it as the latest checkpoint (so an older one presented
 * later is recognised as a replay) and returns it, signed when a private key is given. The
 * caller keeps it somewhere the database's writers cannot reach.
 */
export async function takeCheckpoint(
  storage: ChainStorage,
  options: CheckpointOptions = {},
  clock: () => Date = () => new Date(),
): Promise<Checkpoint> {
  const partition = checkPartitionName(options.partition ?? DEFAULT_PARTITION);
  const head = await storage.chainHead(partition);
  const base = {
    partition,
    seq: head?.seq ?? 0,
    hash: head?.hash ?? GENESIS_HASH,
    at: clock(),
  };
  if (head !== null) await storage.recordCheckpoint(partition, base);
  return options.privateKey === undefined
    ? base
    : { ...base, signature: signCheckpoint(base, options.privateKey) };
}
