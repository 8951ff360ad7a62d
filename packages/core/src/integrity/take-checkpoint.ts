import { ValidationError } from '../errors';
import { type Checkpoint, type KeyInput, signCheckpoint } from './checkpoint';
import { checkPartitionName, DEFAULT_PARTITION } from './options';
import type { ChainStorage } from './port';

/** Options of `checkpoint()`. */
export interface CheckpointOptions {
  /** Default `"default"`. */
  partition?: string;
  /** Ed25519 private key (a `KeyObject` or PEM text): the checkpoint is then signed. */
  privateKey?: KeyInput;
}

/**
 * Reads the partition's head, records it as the latest checkpoint (so an older one presented
 * later is recognised as a replay) and returns it with the start it saw, signed when a private
 * key is given. The caller keeps it somewhere the database's writers cannot reach.
 *
 * @throws ValidationError on `partition` when the partition has no head row (it does not exist,
 * or its head was deleted): there is nothing honest to sign; on `privateKey` when it is not an
 * Ed25519 private key (nothing is recorded then).
 */
export async function takeCheckpoint(
  storage: ChainStorage,
  options: CheckpointOptions = {},
  clock: () => Date = () => new Date(),
): Promise<Checkpoint> {
  const partition = checkPartitionName(options.partition ?? DEFAULT_PARTITION);
  const head = await storage.chainHead(partition);
  if (head === null) {
    throw ValidationError.field(
      'partition',
      `"${partition}" has no head row: nothing to checkpoint (the partition does not exist, or its head was deleted: run verify)`,
    );
  }
  const base = {
    partition,
    seq: head.seq,
    hash: head.hash,
    start: { seq: head.start.seq, hash: head.start.hash },
    at: clock(),
  };
  // Signed before it is recorded: a key refused leaves no checkpoint that was never handed out.
  const signature =
    options.privateKey === undefined ? undefined : signCheckpoint(base, options.privateKey);
  await storage.recordCheckpoint(partition, base);
  return signature === undefined ? base : { ...base, signature };
}
