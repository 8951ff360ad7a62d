import { toTimestampKey } from '../timestamp-key';
import { hashMatches } from './hash';
import type { ChainEntry, ChainPosition, ChainStorage } from './port';

/**
 * The first problem found in a chain: the `seq` at fault and why. `seq` is 0 when the problem is
 * not at an entry of the chain (a partition that does not exist, rows stored outside it).
 */
export interface BrokenLink {
  seq: number;
  reason: string;
}

/** The key eventlog stores for `timestamp`, or null when no entry it wrote could have it. */
function canonicalKey(timestamp: unknown): string | null {
  if (!(timestamp instanceof Date)) return null;
  try {
    return toTimestampKey(timestamp, 'timestamp');
  } catch {
    return null;
  }
}

/** Entries read per `readChain` call: memory stays constant however long the chain. */
export const DEFAULT_PAGE_SIZE = 500;

/** Reads `chain` from `fromSeq` (to `toSeq` when given) page by page, in `seq` order. */
export async function* readPages(
  storage: ChainStorage,
  chain: string,
  fromSeq: number,
  toSeq: number | undefined,
  pageSize = DEFAULT_PAGE_SIZE,
): AsyncGenerator<ChainEntry> {
  let next = fromSeq;
  for (;;) {
    const page = await storage.readChain(chain, { fromSeq: next, toSeq, limit: pageSize });
    for (const entry of page) yield entry;
    const last = page[page.length - 1];
    if (page.length < pageSize || last === undefined || last.seq === null) return;
    next = last.seq + 1;
  }
}

/**
 * Checks entries one at a time, in `seq` order, against the previous one: numbering without
 * gaps, the stored timestamp against the key eventlog writes, the stored hash against the
 * content, and the link to the previous hash. Constant memory.
 */
export class ChainChecker {
  #expected: number;
  #prevHash: string;
  readonly #start: ChainPosition;
  /** Entries that passed. */
  checked = 0;

  /** `after`: the position the first entry must follow (the partition's start, or entry `from - 1`). */
  constructor(after: ChainPosition, start: ChainPosition) {
    this.#expected = after.seq + 1;
    this.#prevHash = after.hash;
    this.#start = start;
  }

  /** The position of the last entry that passed (or the one it started after). */
  get last(): ChainPosition {
    return { seq: this.#expected - 1, hash: this.#prevHash };
  }

  /** Checks the next entry; returns what is wrong, or null. */
  check(entry: ChainEntry): BrokenLink | null {
    const seq = entry.seq;
    if (seq === null || entry.chain === null || entry.hash === null || entry.prevHash === null) {
      return { seq: this.#expected, reason: `entry ${entry.id} has lost its chain fields` };
    }
    if (seq > this.#expected) {
      return {
        seq: this.#expected,
        reason: `entry ${this.#expected} is missing (deleted): the next stored entry is ${seq}`,
      };
    }
    if (seq < this.#expected) {
      return { seq, reason: `entry ${seq} appears twice` };
    }
    // The hash covers the instant in milliseconds; the stored text must be exactly what eventlog
    // writes for it, or the row answers time-range queries differently from what was hashed.
    const key = canonicalKey(entry.timestamp);
    if (key === null || entry.timestampKey !== key) {
      return {
        seq,
        reason: `entry ${seq}'s stored timestamp "${entry.timestampKey}" is not the one eventlog wrote${key === null ? '' : ` ("${key}")`}: it was rewritten`,
      };
    }
    if (!hashMatches(entry.hash, entry.prevHash, seq, { ...entry, chain: entry.chain })) {
      return {
        seq,
        reason: `entry ${seq} does not match its hash: its content or its hash was altered`,
      };
    }
    if (entry.prevHash !== this.#prevHash) {
      // Entry `seq` is intact (its hash covers its prevHash), so the one before it changed since.
      if (seq - 1 === this.#start.seq) {
        return { seq, reason: `entry ${seq} does not chain to the start of the partition` };
      }
      return {
        seq: seq - 1,
        reason: `entry ${seq - 1} was rewritten or moved: its hash is not the one entry ${seq} chained to`,
      };
    }
    this.#prevHash = entry.hash;
    this.#expected = seq + 1;
    this.checked += 1;
    return null;
  }
}
