import { ValidationError } from '../errors';
import { type BrokenLink, ChainChecker, DEFAULT_PAGE_SIZE, readPages } from './chain-walk';
import {
  type Checkpoint,
  checkpointSignatureValid,
  type KeyInput,
  parseCheckpoint,
} from './checkpoint';
import { GENESIS_HASH } from './hash';
import { checkPartitionName, DEFAULT_PARTITION } from './options';
import type { ChainHead, ChainPosition, ChainStorage } from './port';

/** Options of `verify()`. */
export interface VerifyOptions {
  /** The chain to verify; default `"default"`, or the checkpoint's partition. */
  partition?: string;
  /** First seq to check (inclusive); default the partition's start. Its link to `from - 1` is checked. */
  from?: number;
  /** Last seq to check (inclusive); default the head. Without it, a deleted tail is detected. */
  to?: number;
  /**
   * A checkpoint kept outside the database: the chain must still contain its `(seq, hash)` and
   * reach at least its `seq`, and it must be the latest checkpoint the log recorded (an older one
   * is refused as a replay). Not combinable with `from`/`to`.
   */
  checkpoint?: Checkpoint;
  /** Ed25519 public key: the checkpoint must then carry a valid signature by its pair. */
  publicKey?: KeyInput;
  /** Entries per read (default 500). */
  pageSize?: number;
}

/** What `verify()` found. */
export interface VerifyResult {
  ok: boolean;
  partition: string;
  /** Entries whose hash and link were checked and found intact. */
  checked: number;
  /** The first problem, by seq; absent when `ok`. */
  firstBroken?: BrokenLink;
}

const seqOption = (value: unknown, field: string): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw ValidationError.field(field, 'must be a positive integer seq');
  }
  return value;
};

/**
 * Walks one chain in `seq` order, page by page, recomputing every hash and link. Detects an
 * altered entry or forged hash (at that seq), a deleted entry (the missing seq), two entries
 * swapped (the first of them), a deleted tail (against the head row, and against a checkpoint
 * when the head row was rewound too), and a replayed old checkpoint.
 */
export async function verifyChain(
  storage: ChainStorage,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const checkpoint =
    options.checkpoint === undefined ? undefined : parseCheckpoint(options.checkpoint);
  const partition = checkPartitionName(
    options.partition ?? checkpoint?.partition ?? DEFAULT_PARTITION,
  );
  if (checkpoint && checkpoint.partition !== partition) {
    throw ValidationError.field(
      'checkpoint',
      `is for partition "${checkpoint.partition}", not "${partition}"`,
    );
  }
  const from = seqOption(options.from, 'from');
  const to = seqOption(options.to, 'to');
  if (checkpoint && (from !== undefined || to !== undefined)) {
    throw ValidationError.field('checkpoint', 'verifies the whole chain: leave out from/to');
  }
  if (from !== undefined && to !== undefined && from > to) {
    throw ValidationError.field('from', 'must not be after `to`');
  }
  let checked = 0;
  const fail = (firstBroken: BrokenLink): VerifyResult => ({
    ok: false,
    partition,
    checked,
    firstBroken,
  });

  if (checkpoint && options.publicKey !== undefined) {
    if (!checkpointSignatureValid(checkpoint, options.publicKey)) {
      return fail({
        seq: checkpoint.seq,
        reason: 'the checkpoint signature is missing or invalid',
      });
    }
  }
  const head = await storage.chainHead(partition);
  const stale = head?.checkpoint;
  if (checkpoint && stale && stale.seq > checkpoint.seq) {
    return fail({
      seq: checkpoint.seq,
      reason: `the checkpoint at seq ${checkpoint.seq} is stale (replayed?): a later checkpoint at seq ${stale.seq} was taken at ${stale.at.toISOString()}; verify against the latest`,
    });
  }
  const start: ChainPosition = head?.start ?? { seq: 0, hash: GENESIS_HASH };
  const first = Math.max(from ?? start.seq + 1, start.seq + 1);
  let after: ChainPosition = start;
  if (first > start.seq + 1) {
    const [before] = await storage.readChain(partition, {
      fromSeq: first - 1,
      toSeq: first - 1,
      limit: 1,
    });
    if (!before || before.hash === null) {
      return fail({ seq: first - 1, reason: `entry ${first - 1} is missing (deleted)` });
    }
    after = { seq: first - 1, hash: before.hash };
  }
  const checker = new ChainChecker(after, start);
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  for await (const entry of readPages(storage, partition, first, to, pageSize)) {
    const broken = checker.check(entry);
    checked = checker.checked;
    if (broken) return fail(broken);
    if (checkpoint && entry.seq === checkpoint.seq && entry.hash !== checkpoint.hash) {
      return fail({
        seq: checkpoint.seq,
        reason: `entry ${checkpoint.seq} does not match the checkpoint`,
      });
    }
  }
  checked = checker.checked;
  const last = checker.last;
  if (to !== undefined) {
    return to > last.seq && (head === null || to <= head.seq)
      ? fail({ seq: last.seq + 1, reason: `entry ${last.seq + 1} is missing (deleted)` })
      : { ok: true, partition, checked };
  }
  return tailProblem(head, last, checkpoint) ?? { ok: true, partition, checked };

  function tailProblem(
    h: ChainHead | null,
    end: ChainPosition,
    cp: Checkpoint | undefined,
  ): VerifyResult | null {
    if (h !== null && h.seq > end.seq) {
      return fail({
        seq: end.seq + 1,
        reason: `the tail was deleted: the head row records seq ${h.seq}, the last stored entry is ${end.seq}`,
      });
    }
    if (h !== null && h.seq < end.seq) {
      return fail({
        seq: h.seq + 1,
        reason: `entries after the head row's seq ${h.seq} were added outside eventlog`,
      });
    }
    if (h !== null && h.hash !== end.hash) {
      return fail({ seq: end.seq, reason: `entry ${end.seq} does not match the head row's hash` });
    }
    if (cp && cp.seq > end.seq) {
      return fail({
        seq: end.seq + 1,
        reason: `the tail was deleted: the checkpoint records seq ${cp.seq}, the last stored entry is ${end.seq}`,
      });
    }
    if (cp && cp.seq === start.seq && cp.seq > 0 && cp.hash !== start.hash) {
      return fail({
        seq: cp.seq,
        reason: 'the start of the partition does not match the checkpoint',
      });
    }
    return null;
  }
}
