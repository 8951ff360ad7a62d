import {
  type ChainEntry,
  type ChainHead,
  type ChainInput,
  type ChainLinker,
  type ChainPosition,
  type ChainRange,
  type ChainStorage,
  type CutRecorder,
  GENESIS_HASH,
  linkByPartition,
  type RecordedCheckpoint,
} from './integrity/index';
import type { EventLog } from './schemas';
import type { InsertOptions } from './storage';
import { toTimestampKey } from './timestamp-key';

/** The head of one partition as `memoryStorage()` keeps it. */
export interface MemoryHead {
  seq: number;
  hash: string;
  start: ChainPosition;
  checkpoint: RecordedCheckpoint | null;
}

/**
 * The state of a `memoryStorage()`, live: what its `raw` member exposes so tests can tamper
 * with it as an attacker with access to the storage would (no copy, no check).
 */
export interface MemoryRaw {
  /** Every committed entry, chained or not, by id. */
  readonly entries: Map<string, EventLog>;
  /** The head of each partition, by name. */
  readonly heads: Map<string, MemoryHead>;
  /**
   * The stored timestamp text of an entry, by id, when it differs from the key eventlog writes
   * (only tampering puts one here); `readChain` reports it as `timestampKey`.
   */
  readonly timestampKeys: Map<string, string>;
  /** A fresh entry id. */
  nextId(): string;
}

/** What the chain members share with the rest of the memory storage. */
export interface MemoryChainContext<Tx> {
  raw: MemoryRaw;
  copy(entry: EventLog): EventLog;
  compareIds(a: string, b: string): number;
  /** Removes a committed entry (retention). */
  remove(id: string): void;
  /** Checks a batch before anything is written (required fields, unique eventIds); throws. */
  check(batch: readonly ChainInput[], tx: Tx | undefined): void;
  /** Stores entries, or stages them in `tx` (then `heads` is the tx's staged heads). */
  store(entries: readonly EventLog[], tx: Tx | undefined): void;
  /** The heads an append in `tx` reads and moves: the tx's staged copy, or the committed ones. */
  headsOf(tx: Tx | undefined, chains: readonly string[]): Map<string, MemoryHead>;
}

const genesisHead = (): MemoryHead => ({
  seq: 0,
  hash: GENESIS_HASH,
  start: { seq: 0, hash: GENESIS_HASH },
  checkpoint: null,
});

/** The `ChainStorage` members of `memoryStorage()`. */
export function memoryChainStorage<Tx>(ctx: MemoryChainContext<Tx>): ChainStorage<Tx> {
  const { raw, copy } = ctx;
  const chained = (entry: EventLog): ChainEntry => ({
    ...copy(entry),
    timestampKey: raw.timestampKeys.get(entry.id) ?? toTimestampKey(entry.timestamp, 'timestamp'),
  });

  async function append(
    entries: readonly ChainInput[],
    link: ChainLinker,
    options?: InsertOptions<Tx>,
  ): Promise<EventLog[]> {
    if (entries.length === 0) return [];
    const tx = options?.transaction;
    ctx.check(entries, tx);
    const heads = ctx.headsOf(tx, [...new Set(entries.map((e) => e.chain))]);
    const moved = new Map<string, MemoryHead>();
    const linked = await linkByPartition(
      entries,
      link,
      async (chain) => heads.get(chain) ?? genesisHead(),
      async (chain, last) => {
        moved.set(chain, {
          ...(heads.get(chain) ?? genesisHead()),
          seq: last.seq,
          hash: last.hash,
        });
      },
    );
    const stored = linked.map((e) => copy({ ...e, id: raw.nextId() }));
    ctx.store(stored, tx);
    for (const [chain, head] of moved) heads.set(chain, head);
    return stored.map(copy);
  }

  // Linking awaits (hashing), so two appends could read the same head and fork the chain: they
  // take turns, as a SQL adapter's lock on the head row makes them.
  let turn: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = turn.then(fn, fn);
    turn = run.catch(() => undefined);
    return run;
  };

  const storage: ChainStorage<Tx> = {
    appendChained(
      entries: readonly ChainInput[],
      link: ChainLinker,
      options?: InsertOptions<Tx>,
    ): Promise<EventLog[]> {
      return oneAtATime(() => append(entries, link, options));
    },
    async readChain(chain: string, range: ChainRange): Promise<ChainEntry[]> {
      const toSeq = range.toSeq ?? Number.POSITIVE_INFINITY;
      return [...raw.entries.values()]
        .filter(
          (e) => e.chain === chain && e.seq !== null && e.seq >= range.fromSeq && e.seq <= toSeq,
        )
        .sort((a, b) => (a.seq as number) - (b.seq as number) || ctx.compareIds(a.id, b.id))
        .slice(0, range.limit)
        .map(chained);
    },

    async readUnchained(after: string | null, limit: number): Promise<EventLog[]> {
      return [...raw.entries.values()]
        .filter((e) => e.chain === null && (after === null || ctx.compareIds(e.id, after) > 0))
        .sort((a, b) => ctx.compareIds(a.id, b.id))
        .slice(0, limit)
        .map(copy);
    },

    async chainHead(chain: string): Promise<ChainHead | null> {
      const head = raw.heads.get(chain);
      return head ? { chain, ...structuredClone(head) } : null;
    },

    async listChains(): Promise<string[]> {
      const names = new Set(raw.heads.keys());
      for (const e of raw.entries.values()) if (e.chain !== null) names.add(e.chain);
      return [...names].sort();
    },

    async cutChain(chain: string, cut: ChainPosition, record: CutRecorder): Promise<number> {
      const head = raw.heads.get(chain);
      if (!head || head.start.seq >= cut.seq) return 0;
      const previous = head.start;
      let deleted = 0;
      for (const e of [...raw.entries.values()]) {
        if (e.chain !== chain || e.seq === null || e.seq > cut.seq) continue;
        ctx.remove(e.id);
        deleted++;
      }
      head.start = { seq: cut.seq, hash: cut.hash };
      await storage.appendChained([record.entry(previous)], record.link);
      return deleted;
    },

    async recordCheckpoint(chain: string, checkpoint: RecordedCheckpoint): Promise<void> {
      const head = raw.heads.get(chain);
      if (!head || (head.checkpoint !== null && head.checkpoint.seq > checkpoint.seq)) return;
      head.checkpoint = { seq: checkpoint.seq, hash: checkpoint.hash, at: new Date(checkpoint.at) };
    },
  };
  return storage;
}
