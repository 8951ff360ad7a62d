import { type BrokenLink, ChainChecker, readPages } from './chain-walk';
import type { Checkpoint } from './checkpoint';
import { recordedStart } from './cut-record';
import type { ChainHead, ChainPosition, ChainStorage } from './port';

/** Rows stored outside every chain (`chain` null) that the service's partition function puts in a chained partition. */
export interface UnchainedRows {
  count: number;
  /** The id of the first of them (ids ascending). */
  firstId: string;
}

/** What `verify()` found in one partition. */
export interface PartitionResult {
  partition: string;
  ok: boolean;
  /** Entries whose hash and link were checked and found intact. */
  checked: number;
  /** The first problem (by seq in the chain walk); absent when `ok`. */
  firstBroken?: BrokenLink;
  /** Present when rows of this partition are stored outside its chain. */
  unchained?: UnchainedRows;
}

/** What one partition is verified against. */
export interface PartitionCheck {
  partition: string;
  from?: number | undefined;
  to?: number | undefined;
  checkpoint?: Checkpoint | undefined;
  pageSize: number;
}

/** The lowest seq `readChain` is asked from when any stored entry is wanted, forged ones included. */
const ANY_SEQ = Number.MIN_SAFE_INTEGER;

/**
 * Walks one partition in `seq` order, page by page, recomputing every hash and link, and checks
 * its ends: the head row against the last entry (a deleted tail, entries added after the head),
 * the start against the latest cut record in the chain (a start moved by hand), and a checkpoint
 * against both (a tail deleted with the head rewound, a start moved past or back from it). A
 * partition with entries but no head row, or with neither, is a finding too.
 */
export async function verifyPartition(
  storage: ChainStorage,
  { partition, from, to, checkpoint, pageSize }: PartitionCheck,
): Promise<PartitionResult> {
  let checked = 0;
  const fail = (firstBroken: BrokenLink): PartitionResult => ({
    partition,
    ok: false,
    checked,
    firstBroken,
  });

  const head = await storage.chainHead(partition);
  if (head === null) {
    const [first] = await storage.readChain(partition, { fromSeq: ANY_SEQ, limit: 1 });
    return first === undefined
      ? fail({ seq: 0, reason: `partition "${partition}" does not exist: no head row, no entries` })
      : fail({
          seq: first.seq ?? 0,
          reason: `partition "${partition}" has entries but no head row: it was deleted outside eventlog`,
        });
  }
  const beforeWalk = checkpoint && checkpointVersusHead(checkpoint, head);
  if (beforeWalk) return fail(beforeWalk);

  const start = head.start;
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
  let proof: ChainPosition | null = null;
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
    proof = recordedStart(entry, partition) ?? proof;
  }
  checked = checker.checked;
  const last = checker.last;
  if (to !== undefined) {
    // A range reaching past the head is checked up to the head: entries missing before it count.
    return Math.min(to, head.seq) > last.seq
      ? fail({ seq: last.seq + 1, reason: `entry ${last.seq + 1} is missing (deleted)` })
      : { partition, ok: true, checked };
  }
  const problem =
    tailProblem(head, last, checkpoint) ?? (from === undefined ? startProblem(start, proof) : null);
  return problem ? fail(problem) : { partition, ok: true, checked };
}

/** What a checkpoint refuses before any entry is read: a replay, or a start moved past or back from it. */
function checkpointVersusHead(cp: Checkpoint, head: ChainHead): BrokenLink | null {
  const latest = head.checkpoint;
  if (latest && latest.seq > cp.seq) {
    return {
      seq: cp.seq,
      reason: `the checkpoint at seq ${cp.seq} is stale (replayed?): a later checkpoint at seq ${latest.seq} was taken at ${latest.at.toISOString()}; verify against the latest`,
    };
  }
  const start = head.start;
  if (cp.start && start.seq < cp.start.seq) {
    return {
      seq: start.seq,
      reason: `the start of the partition moved back from seq ${cp.start.seq} (the checkpoint's) to seq ${start.seq}`,
    };
  }
  if (cp.start && start.seq === cp.start.seq && start.hash !== cp.start.hash) {
    return {
      seq: start.seq,
      reason: 'the start of the partition was rewritten since the checkpoint',
    };
  }
  if (cp.seq < start.seq) {
    return {
      seq: cp.seq,
      reason: `the checkpointed entry ${cp.seq} can no longer be reached from a start the chain can prove: the start is at seq ${start.seq} (purged past it; take a new checkpoint after a purge)`,
    };
  }
  return null;
}

/** The end of the walk against the head row and the checkpoint. */
function tailProblem(
  head: ChainHead,
  end: ChainPosition,
  cp: Checkpoint | undefined,
): BrokenLink | null {
  if (head.seq > end.seq) {
    return {
      seq: end.seq + 1,
      reason: `the tail was deleted: the head row records seq ${head.seq}, the last stored entry is ${end.seq}`,
    };
  }
  if (head.seq < end.seq) {
    return {
      seq: head.seq + 1,
      reason: `entries after the head row's seq ${head.seq} were added outside eventlog`,
    };
  }
  if (head.hash !== end.hash) {
    return { seq: end.seq, reason: `entry ${end.seq} does not match the head row's hash` };
  }
  if (cp && cp.seq > end.seq) {
    return {
      seq: end.seq + 1,
      reason: `the tail was deleted: the checkpoint records seq ${cp.seq}, the last stored entry is ${end.seq}`,
    };
  }
  if (cp && cp.seq === head.start.seq && cp.hash !== head.start.hash) {
    return { seq: cp.seq, reason: 'the start of the partition does not match the checkpoint' };
  }
  return null;
}

/**
 * A start moved by retention is stated by the latest cut record in the chain; one moved by hand
 * (a deleted prefix hidden by rewriting `start_seq`/`start_hash`) is not.
 */
function startProblem(start: ChainPosition, proof: ChainPosition | null): BrokenLink | null {
  if (start.seq === 0) return null;
  if (proof === null) {
    return {
      seq: start.seq,
      reason: `the start of the partition (seq ${start.seq}) was moved outside eventlog: no purge recorded in the chain cut it there`,
    };
  }
  if (proof.seq !== start.seq || proof.hash !== start.hash) {
    return {
      seq: start.seq,
      reason: `the start of the partition (seq ${start.seq}) is not where the last recorded purge cut it (seq ${proof.seq}): it was moved outside eventlog`,
    };
  }
  return null;
}
