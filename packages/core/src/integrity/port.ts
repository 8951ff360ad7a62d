import type { InsertOptions } from '../insert-options';
import type { EventLog, NewEventLog } from '../schemas';

/**
 * The storage side of tamper evidence: what an adapter implements, all together, when it declares
 * `capabilities.integrity`. Core does every hash; the adapter only serialises appends per
 * partition, stores the chain columns and the partition's head, and reads them back.
 *
 * ### Implementing it (SQL sketch; a document store does the same with a head document)
 * A head row per partition: `chain` (key), `seq`, `hash` (the last entry), `start_seq`,
 * `start_hash` (where verification starts: 0 and `GENESIS_HASH` until a purge cuts the chain),
 * `checkpoint_seq`, `checkpoint_hash`, `checkpoint_at` (the latest checkpoint, or null).
 * `appendChained` runs in the caller's transaction (or one it opens) and, for each partition of
 * the batch in sorted order (two writers never wait on each other crosswise): inserts the head row
 * if missing (`ON CONFLICT DO NOTHING`), takes its lock with a write **before** any read
 * (`UPDATE heads SET seq = seq WHERE chain = ?`: a row lock on PostgreSQL, the write lock on
 * SQLite, so no deferred-transaction upgrade can fail), reads the head, calls `link`, inserts
 * the linked entries and moves the head. The lock is held until commit and by nothing else.
 * A head kept in process memory is never correct: two processes would fork the chain.
 * A unique index on `(chain, seq)` is a cheap second guard against forks.
 */
export interface ChainStorage<Tx = unknown> {
  /**
   * Appends `entries` (each naming its partition in `chain`) in one transaction, inside
   * `options.transaction` when given; for each partition, under that partition's lock, reads the
   * head (`{ seq: 0, hash: GENESIS_HASH }` for a new partition), calls
   * `link(chain, head, entriesOfThatChain)` (entries in input order) and stores what it returns,
   * then sets the head to the last linked entry. Returns the stored entries in input order, with
   * their ids and chain fields. All or nothing; throws what the driver throws (a duplicate
   * `eventId` included), and nothing is then written and no seq consumed.
   */
  appendChained(
    entries: readonly ChainInput[],
    link: ChainLinker,
    options?: InsertOptions<Tx>,
  ): Promise<EventLog[]>;

  /**
   * The entries of partition `chain` with `fromSeq <= seq <= toSeq` (no upper bound when `toSeq`
   * is absent), ordered by `seq` ascending, at most `limit` of them. `[]` when none. Reads what
   * is stored without any check: verification is core's job.
   */
  readChain(chain: string, range: ChainRange): Promise<EventLog[]>;

  /** The head of partition `chain`, or `null` when nothing was ever appended to it. */
  chainHead(chain: string): Promise<ChainHead | null>;

  /** The names of every partition that has a head, sorted. `[]` when none. */
  listChains(): Promise<string[]>;

  /**
   * Retention for one partition: under the partition's lock, deletes its entries with
   * `seq <= cut.seq` and records `cut` as the new start (`start_seq`, `start_hash`) unless the
   * start is already at or past it. Returns how many entries were deleted (0 when none).
   */
  cutChain(chain: string, cut: ChainPosition): Promise<number>;

  /**
   * Stores `checkpoint` as the partition's latest checkpoint, unless the stored one has a higher
   * `seq` (then it does nothing). The partition's head must exist (it does for any checkpoint
   * core issues, except on an empty partition, when this is a no-op).
   */
  recordCheckpoint(chain: string, checkpoint: RecordedCheckpoint): Promise<void>;
}

/** A place in a chain: the `seq` of an entry and its `hash`. */
export interface ChainPosition {
  seq: number;
  hash: string;
}

/** A checkpoint as the storage keeps it in the head (the signature stays with whoever holds it). */
export interface RecordedCheckpoint extends ChainPosition {
  at: Date;
}

/** The head of one partition, as `chainHead` returns it. */
export interface ChainHead extends ChainPosition {
  chain: string;
  /**
   * Where verification starts: `seq` and `hash` of the last entry removed by retention
   * (`{ seq: 0, hash: GENESIS_HASH }` when nothing was ever purged). The first stored entry has
   * `seq === start.seq + 1` and `prevHash === start.hash`.
   */
  start: ChainPosition;
  /** The latest checkpoint recorded with `recordCheckpoint`, or null. */
  checkpoint: RecordedCheckpoint | null;
}

/** A range of `readChain`. */
export interface ChainRange {
  fromSeq: number;
  toSeq?: number | undefined;
  limit: number;
}

/** An entry to append, with the partition core computed for it. */
export type ChainInput = NewEventLog & { chain: string };

/** An entry linked into its chain by core: what the adapter stores. */
export type ChainedEntry = NewEventLog & {
  chain: string;
  seq: number;
  prevHash: string;
  hash: string;
};

/**
 * Core's pure linking function handed to `appendChained`: given the partition's head (locked by
 * the adapter) and that partition's new entries, returns them with `seq`, `prevHash` and `hash`.
 */
export type ChainLinker = (
  chain: string,
  head: ChainPosition,
  entries: readonly ChainInput[],
) => ChainedEntry[];
