import { type BrokenLink, DEFAULT_PAGE_SIZE } from './chain-walk';
import type { ChainStorage } from './port';
import { verifyPartition } from './verify-partition';

/** One partition's integrity status: its latest checkpoint, and its chain verified from it. */
export interface PartitionStatus {
  partition: string;
  /** True when the entries from `from` to the head are intact and end where the head row says. */
  ok: boolean;
  /** The head row's seq (the last entry's), or null when the partition has no head row. */
  headSeq: number | null;
  /** The latest checkpoint the log recorded (`checkpoint()`), or null when none was taken. */
  checkpoint: { seq: number; at: Date } | null;
  /**
   * The first seq verified: the checkpointed entry (its hash checked against the checkpoint's),
   * or the partition's start without a checkpoint or when retention cut past it.
   */
  from: number;
  /** Entries whose hash and link were checked and found intact. */
  checked: number;
  /** The first problem; absent when `ok`. */
  firstBroken?: BrokenLink;
}

/** What `integrityStatus()` found: one status per partition, sorted by name. */
export interface IntegrityStatus {
  /** True when every partition is `ok` (and for a log with no chain yet). */
  ok: boolean;
  /** When the status was computed. */
  at: Date;
  partitions: PartitionStatus[];
}

/**
 * The status of every partition, cheaply: each chain is verified from its latest recorded
 * checkpoint to its head (from its start when it has none), so the cost follows what was
 * appended since the last `checkpoint()`, not the size of the log. Entries before the checkpoint,
 * and rows stored outside every chain, are left to a full `verify()`.
 */
export async function integrityStatus(
  storage: ChainStorage,
  now: Date,
  pageSize = DEFAULT_PAGE_SIZE,
): Promise<IntegrityStatus> {
  const partitions: PartitionStatus[] = [];
  for (const partition of await storage.listChains()) {
    const head = await storage.chainHead(partition);
    const recorded = head?.checkpoint ?? null;
    // A checkpoint that retention purged past proves nothing about what is left: from the start.
    const since =
      recorded !== null && head !== null && recorded.seq > head.start.seq ? recorded : null;
    const result = await verifyPartition(storage, {
      partition,
      pageSize,
      ...(since && {
        from: since.seq,
        checkpoint: { partition, seq: since.seq, hash: since.hash, at: since.at },
      }),
    });
    partitions.push({
      partition,
      ok: result.ok,
      headSeq: head?.seq ?? null,
      checkpoint: recorded && { seq: recorded.seq, at: recorded.at },
      from: since?.seq ?? (head?.start.seq ?? 0) + 1,
      checked: result.checked,
      ...(result.firstBroken && { firstBroken: result.firstBroken }),
    });
  }
  return { ok: partitions.every((p) => p.ok), at: now, partitions };
}
