import { ValidationError } from '../errors';
import type { NewEventLog } from '../schemas';
import { type BrokenLink, DEFAULT_PAGE_SIZE } from './chain-walk';
import {
  type Checkpoint,
  checkpointSignatureValid,
  type KeyInput,
  parseCheckpoint,
} from './checkpoint';
import { checkPartitionName } from './options';
import type { ChainStorage } from './port';
import { type PartitionResult, verifyPartition } from './verify-partition';

/** Options of `verify()`. */
export interface VerifyOptions {
  /**
   * The one partition to verify (the checkpoint's, when a checkpoint is given). Default: every
   * partition of the log, with rows stored outside a chained partition reported too.
   */
  partition?: string;
  /** First seq to check (inclusive), in `partition`; default its start. Its link to `from - 1` is checked. */
  from?: number;
  /** Last seq to check (inclusive), in `partition`; default the head. Without it, a deleted tail is detected. */
  to?: number;
  /**
   * A checkpoint kept outside the database: the chain must still contain its `(seq, hash)` and
   * reach at least its `seq`, from a start the chain proves and that has not moved past or back
   * from the checkpoint's; and it must be the latest checkpoint the log recorded (an older one
   * is refused as a replay). Not combinable with `from`/`to`.
   */
  checkpoint?: Checkpoint;
  /** Ed25519 public key: the checkpoint must then carry a valid signature by its pair. */
  publicKey?: KeyInput;
  /** Entries per read: a positive integer, default 500. */
  pageSize?: number;
}

/** What `verify()` found. */
export interface VerifyResult {
  /** True when every partition verified and no row lies outside a chained partition. */
  ok: boolean;
  /** The partition asked for, or null when the whole log was verified. */
  partition: string | null;
  /** Entries whose hash and link were checked and found intact, over all partitions. */
  checked: number;
  /** The first problem of the first failing partition (by name); absent when `ok`. */
  firstBroken?: BrokenLink & { partition: string };
  /** One result per partition verified, sorted by name (`[]` for a log with no chain yet). */
  partitions: PartitionResult[];
}

const seqOption = (value: unknown, field: string): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw ValidationError.field(field, 'must be a positive integer seq');
  }
  return value;
};

/**
 * Verifies one partition, or every partition of the log (those with a head row or chained
 * entries, see `ChainStorage.listChains`). Per partition it detects an altered entry or forged
 * hash (at that seq), a stored timestamp other than the one eventlog wrote, a deleted entry (the
 * missing seq), two entries swapped (the first of them), a deleted tail (against the head row,
 * and against a checkpoint when the head row was rewound too), entries added after the head, a
 * start moved outside eventlog, a deleted head row, a replayed old checkpoint, and a checkpoint
 * the start moved past. A partition that does not exist is not ok.
 *
 * With `partitionOf` (the service's partition function) and no `from`/`to`, rows stored with no
 * chain are read too (id order, page by page): those whose partition is one verified here are
 * reported per partition (`unchained`), since eventlog never writes such a row with integrity on.
 *
 * @throws ValidationError for malformed options (a `pageSize` that is not a positive integer
 * too), `from`/`to` without a partition, a checkpoint of another partition.
 */
export async function verifyChain(
  storage: ChainStorage,
  options: VerifyOptions = {},
  partitionOf?: (entry: NewEventLog) => string,
): Promise<VerifyResult> {
  const checkpoint =
    options.checkpoint === undefined ? undefined : parseCheckpoint(options.checkpoint);
  const asked = options.partition ?? checkpoint?.partition;
  const partition = asked === undefined ? null : checkPartitionName(asked);
  if (checkpoint && checkpoint.partition !== partition) {
    throw ValidationError.field(
      'checkpoint',
      `is for partition "${checkpoint.partition}", not "${partition}"`,
    );
  }
  const from = seqOption(options.from, 'from');
  const to = seqOption(options.to, 'to');
  const range = from !== undefined || to !== undefined;
  if (range && partition === null) {
    throw ValidationError.field('partition', 'is required with from/to: seqs number one partition');
  }
  if (checkpoint && range) {
    throw ValidationError.field('checkpoint', 'verifies the whole chain: leave out from/to');
  }
  if (from !== undefined && to !== undefined && from > to) {
    throw ValidationError.field('from', 'must not be after `to`');
  }
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  // A page of 0 rows (or NaN) reads as the last one: the chain would seem to end there.
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) {
    throw ValidationError.field('pageSize', 'must be a positive integer');
  }

  const results: PartitionResult[] = [];
  if (checkpoint && options.publicKey !== undefined) {
    if (!checkpointSignatureValid(checkpoint, options.publicKey)) {
      results.push({
        partition: checkpoint.partition,
        ok: false,
        checked: 0,
        firstBroken: {
          seq: checkpoint.seq,
          reason: 'the checkpoint signature is missing or invalid',
        },
      });
      return summarise(partition, results);
    }
  }
  for (const name of partition === null ? await storage.listChains() : [partition]) {
    results.push(
      await verifyPartition(storage, { partition: name, from, to, checkpoint, pageSize }),
    );
  }
  if (partitionOf && !range) await findUnchained(storage, results, partitionOf, pageSize);
  return summarise(partition, results);
}

/** Adds to each result the rows with no chain that `partitionOf` puts in its partition. */
async function findUnchained(
  storage: ChainStorage,
  results: PartitionResult[],
  partitionOf: (entry: NewEventLog) => string,
  pageSize: number,
): Promise<void> {
  const byName = new Map(results.map((r) => [r.partition, r]));
  let after: string | null = null;
  for (;;) {
    const page = await storage.readUnchained(after, pageSize);
    for (const entry of page) {
      let name: string;
      try {
        name = partitionOf(entry);
      } catch {
        // A row the partition function refuses could never have been appended to a chain.
        continue;
      }
      const result = byName.get(name);
      if (result === undefined) continue;
      if (result.unchained) result.unchained.count += 1;
      else result.unchained = { count: 1, firstId: entry.id };
    }
    const last = page[page.length - 1];
    if (page.length < pageSize || last === undefined) break;
    after = last.id;
  }
  for (const result of results) {
    const rows = result.unchained;
    if (rows === undefined) continue;
    result.ok = false;
    result.firstBroken ??= {
      seq: 0,
      reason: `${rows.count} ${rows.count === 1 ? 'row' : 'rows'} of this partition (first id ${rows.firstId}) ${rows.count === 1 ? 'is' : 'are'} stored outside the chain: written outside eventlog, or before integrity was turned on`,
    };
  }
}

function summarise(partition: string | null, partitions: PartitionResult[]): VerifyResult {
  const broken = partitions.find((r) => !r.ok);
  const checked = partitions.reduce((sum, r) => sum + r.checked, 0);
  const result: VerifyResult = { ok: broken === undefined, partition, checked, partitions };
  if (broken?.firstBroken)
    result.firstBroken = { partition: broken.partition, ...broken.firstBroken };
  return result;
}
