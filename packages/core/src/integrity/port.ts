import type { InsertOptions } from '../insert-options';
import type { EventLog, NewEventLog } from '../schemas';

/**
 * The storage side of tamper evidence: what an adapter implements, all together, when it declares
 * `capabilities.integrity`. Core hashes each entry's content before the call; the adapter
 * serialises appends per partition, links them (through `link`, or with the same formula in the
 * database, see `linkHash`), stores the chain columns and the partition's head, and reads them back.
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
   * is absent), ordered by `seq` ascending, at most `limit` of them, each with the timestamp as
   * really stored (`timestampKey`). `[]` when none. Reads what is stored without any check:
   * verification is core's job.
   */
  readChain(chain: string, range: ChainRange): Promise<ChainEntry[]>;

  /**
   * The entries stored outside every chain (`chain` null), ordered by id ascending, starting
   * after the entry `after` (from the first when null), at most `limit` of them. `[]` when none.
   */
  readUnchained(after: string | null, limit: number): Promise<EventLog[]>;

  /** The head of partition `chain`, or `null` when it has none (never appended to, or deleted). */
  chainHead(chain: string): Promise<ChainHead | null>;

  /**
   * The names of every partition that has a head row or chained entries (the union: a head row
   * deleted outside eventlog must not hide its entries from verification), sorted, without
   * duplicates. `[]` when none.
   */
  listChains(): Promise<string[]>;

  /**
   * Retention for one partition, in one transaction under the partition's lock: unless the start
   * is already at or past `cut`, deletes the entries with `seq <= cut.seq`, records `cut` as the
   * new start (`start_seq`, `start_hash`) and appends `record(previousStart)` to the chain as
   * `appendChained` would (linked by `link` after the head): the cut is then stated inside the
   * chain, where `verify` finds it. Returns how many entries were deleted (0 when none, and then
   * nothing is appended).
   */
  cutChain(chain: string, cut: ChainPosition, record: CutRecorder): Promise<number>;

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

/** An entry as `readChain` returns it. */
export type ChainEntry = EventLog & {
  /**
   * The stored timestamp as a key `YYYY-MM-DDTHH:MM:SS.ffffffZ` (the text SQLite holds, the
   * microsecond value of a PostgreSQL/MySQL column), or the raw value as text when it is not a
   * timestamp at all (a string in a document store). Verification requires exactly the key
   * eventlog writes for the entry's timestamp, so a row rewritten to the same instant spelled
   * differently, or with other microseconds, is found.
   */
  timestampKey: string;
};

/** What `cutChain` appends to record a cut: the entry, given the start it replaces, and core's linker. */
export interface CutRecorder {
  entry(previousStart: ChainPosition): ChainInput;
  link: ChainLinker;
}

/** A range of `readChain`. */
export interface ChainRange {
  fromSeq: number;
  toSeq?: number | undefined;
  limit: number;
}

/**
 * An entry to append, with the partition core computed for it and its `contentHash` (see
 * `contentHash`), hashed before any lock is taken.
 */
export type ChainInput = NewEventLog & { chain: string; contentHash: string };

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
