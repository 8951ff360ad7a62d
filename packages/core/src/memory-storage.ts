import { pageCount } from './count';
import { cursorInstant, decodeCursor, encodeCursor } from './cursor';
import { ValidationError } from './errors';
import { changedKeysOf } from './history/changed-keys';
import type { ChainStorage } from './integrity/index';
import { type MemoryHead, type MemoryRaw, memoryChainStorage } from './memory-chain';
import { pageFromRows } from './page';
import {
  type EventLog,
  type EventLogPage,
  type NewEventLog,
  type StorageQuery,
  UNCHAINED,
} from './schemas';
import type { DeleteFilter, EventLogStorage, InsertOptions } from './storage';

/**
 * A transaction of `memoryStorage()`: writes made with it are staged and become visible to
 * reads when `transaction()`'s callback resolves; they are dropped when it throws.
 */
export interface MemoryTransaction {
  /** Opaque; distinguishes transactions in error messages. */
  readonly id: number;
}

/** The in-memory storage: the port with integrity, plus a small transaction API. */
export interface MemoryStorage
  extends Omit<EventLogStorage<MemoryTransaction>, keyof ChainStorage>,
    ChainStorage<MemoryTransaction> {
  /**
   * The live state, for tests that tamper with it (the integrity conformance suite's hooks).
   * Applications never need it.
   */
  readonly raw: MemoryRaw;
  /**
   * Runs `fn` with a new transaction: its staged entries are stored when `fn` resolves (unless
   * an `eventId` was stored meanwhile: then nothing is and it throws) and dropped when `fn`
   * throws, rethrowing. Returns what `fn` returns.
   */
  transaction<T>(fn: (tx: MemoryTransaction) => Promise<T>): Promise<T>;
}

interface TxState extends MemoryTransaction {
  open: boolean;
  staged: EventLog[];
  /** Heads as this transaction's chained appends moved them (copies made on first use). */
  heads: Map<string, MemoryHead>;
  /** The committed head seq each partition had when this transaction first appended to it. */
  bases: Map<string, number>;
}

/** A copy sharing nothing with its source, so callers can never mutate what is stored. */
function copy(entry: EventLog): EventLog {
  const json = <T>(v: T): T => (v === null ? v : (JSON.parse(JSON.stringify(v)) as T));
  return {
    ...entry,
    timestamp: new Date(entry.timestamp.getTime()),
    values: json(entry.values),
    changes: json(entry.changes),
    metadata: json(entry.metadata),
  };
}

/** Ids are decimal counters; comparing by length first makes string order numeric order. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function compareEntries(a: EventLog, b: EventLog): number {
  return a.timestamp.getTime() - b.timestamp.getTime() || compareIds(a.id, b.id);
}

/** Lower-cases ASCII letters only, the case folding every SQL backend agrees on. */
function foldAscii(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function matches(entry: EventLog, q: StorageQuery): boolean {
  if (q.tool && !q.tool.includes(entry.tool)) return false;
  if (q.action && !q.action.includes(entry.action)) return false;
  if (q.actorId !== undefined && entry.actorId !== q.actorId) return false;
  if (q.objectType !== undefined && entry.objectType !== q.objectType) return false;
  if (q.objectId !== undefined && entry.objectId !== q.objectId) return false;
  if (q.batchId !== undefined && entry.batchId !== q.batchId) return false;
  if (q.changedKey && !changedKeysOf(entry.changes).some((k) => q.changedKey?.includes(k))) {
    return false;
  }
  const t = entry.timestamp.getTime();
  if (q.from && t < q.from.getTime()) return false;
  if (q.to && t >= q.to.getTime()) return false;
  if (q.search !== undefined && !foldAscii(entry.message).includes(foldAscii(q.search))) {
    return false;
  }
  return true;
}

function checkEntry(entry: NewEventLog): void {
  if (!(entry.timestamp instanceof Date) || Number.isNaN(entry.timestamp.getTime())) {
    throw new Error('memory storage: timestamp must be a valid Date');
  }
  for (const key of ['message', 'tool', 'action'] as const) {
    if (typeof entry[key] !== 'string') throw new Error(`memory storage: ${key} is required`);
  }
}

/**
 * The reference storage: keeps entries in process memory, honest enough to pass the whole
 * conformance suite (filters, `(timestamp, id)` order, keyset cursors, offsets, counts,
 * retention, unique `eventId`, transactions) and the integrity suite (hash chains, heads,
 * checkpoints, chain-preserving retention). Entries are deep-copied in and out. Meant for
 * tests, demos and single-process tools: everything is lost when the process ends. A chained
 * append inside a transaction commits only when no other append moved its partitions meanwhile
 * (else the commit throws and nothing is stored), so chains never fork.
 */
export function memoryStorage(): MemoryStorage {
  const entries = new Map<string, EventLog>();
  const byEventId = new Map<string, string>();
  let nextId = 1;
  let nextTx = 1;
  const raw: MemoryRaw = {
    entries,
    heads: new Map(),
    timestampKeys: new Map(),
    nextId: () => String(nextId++),
  };

  const stateOf = (tx: MemoryTransaction | undefined): TxState | undefined => {
    if (tx === undefined) return undefined;
    const state = tx as TxState;
    if (!Array.isArray(state.staged)) throw new Error('memory storage: not a memory transaction');
    if (!state.open) throw new Error(`memory storage: transaction ${tx.id} is no longer open`);
    return state;
  };

  const assertUnique = (batch: readonly { eventId: string | null }[], tx?: TxState) => {
    const inBatch = new Set<string>();
    for (const { eventId } of batch) {
      if (eventId === null) continue;
      const taken =
        byEventId.has(eventId) ||
        inBatch.has(eventId) ||
        (tx?.staged.some((e) => e.eventId === eventId) ?? false);
      if (taken) throw new Error(`memory storage: duplicate eventId "${eventId}"`);
      inBatch.add(eventId);
    }
  };

  const apply = (batch: readonly EventLog[]) => {
    for (const entry of batch) {
      entries.set(entry.id, entry);
      if (entry.eventId !== null) byEventId.set(entry.eventId, entry.id);
    }
  };

  const remove = (id: string) => {
    const entry = entries.get(id);
    entries.delete(id);
    raw.timestampKeys.delete(id);
    if (entry?.eventId != null) byEventId.delete(entry.eventId);
  };

  const chain = memoryChainStorage<MemoryTransaction>({
    raw,
    copy,
    compareIds,
    remove,
    check(batch, tx) {
      for (const entry of batch) checkEntry(entry);
      assertUnique(batch, stateOf(tx));
    },
    store(stored, tx) {
      const state = stateOf(tx);
      if (state) state.staged.push(...stored);
      else apply(stored);
    },
    headsOf(tx, chains) {
      const state = stateOf(tx);
      if (!state) return raw.heads;
      for (const name of chains) {
        if (state.bases.has(name)) continue;
        const head = raw.heads.get(name);
        state.bases.set(name, head?.seq ?? 0);
        if (head) state.heads.set(name, structuredClone(head));
      }
      return state.heads;
    },
  });

  /** Moves the committed heads to a transaction's, or throws when another append moved one first. */
  const commitHeads = (tx: TxState) => {
    for (const [name, base] of tx.bases) {
      if ((raw.heads.get(name)?.seq ?? 0) !== base) {
        throw new Error(
          `memory storage: chain "${name}" was appended to meanwhile: commit refused`,
        );
      }
    }
    for (const [name, head] of tx.heads) {
      const current = raw.heads.get(name);
      raw.heads.set(name, current ? { ...current, seq: head.seq, hash: head.hash } : head);
    }
  };

  return {
    name: 'memory',
    capabilities: { transactions: true, eventIdLookup: true, integrity: true },
    raw,
    ...chain,

    async insert(batch: readonly NewEventLog[], options?: InsertOptions<MemoryTransaction>) {
      const tx = stateOf(options?.transaction);
      if (batch.length === 0) return [];
      for (const entry of batch) checkEntry(entry);
      assertUnique(batch, tx);
      const stored = batch.map((entry) => copy({ ...entry, ...UNCHAINED, id: String(nextId++) }));
      if (tx) tx.staged.push(...stored);
      else apply(stored);
      return stored.map(copy);
    },

    async find(q: StorageQuery): Promise<EventLogPage> {
      const sign = q.order === 'asc' ? 1 : -1;
      const all = [...entries.values()]
        .filter((e) => matches(e, q))
        .sort((a, b) => sign * compareEntries(a, b));
      let rest = all;
      if (q.cursor) {
        const [ts, id] = decodeCursor(q.cursor, q.order, 2) as [string, string];
        if (!/^\d+$/.test(id)) {
          throw ValidationError.field('cursor', 'is not a cursor returned by this API');
        }
        const key = { timestamp: cursorInstant(ts), id } as EventLog;
        rest = all.filter((e) => sign * compareEntries(e, key) > 0);
      }
      return pageFromRows(
        rest.slice(q.offset, q.offset + q.limit + 1),
        q.limit,
        copy,
        (last) => encodeCursor(q.order, [last.timestamp.toISOString(), last.id]),
        pageCount(q, all.length),
      );
    },

    async get(id: string) {
      const entry = entries.get(id);
      return entry ? copy(entry) : null;
    },

    async deleteBefore(cutoff: Date, filter?: DeleteFilter) {
      let deleted = 0;
      for (const entry of [...entries.values()]) {
        if (entry.timestamp.getTime() >= cutoff.getTime()) continue;
        if (filter?.tool && !filter.tool.includes(entry.tool)) continue;
        if (filter?.unchained && entry.chain !== null) continue;
        remove(entry.id);
        deleted++;
      }
      return deleted;
    },

    async findByEventId(eventId: string, options?: InsertOptions<MemoryTransaction>) {
      const staged = stateOf(options?.transaction)?.staged.find((e) => e.eventId === eventId);
      if (staged) return copy(staged);
      const id = byEventId.get(eventId);
      const entry = id === undefined ? undefined : entries.get(id);
      return entry ? copy(entry) : null;
    },

    async transaction<T>(fn: (tx: MemoryTransaction) => Promise<T>): Promise<T> {
      const tx: TxState = {
        id: nextTx++,
        open: true,
        staged: [],
        heads: new Map(),
        bases: new Map(),
      };
      try {
        const result = await fn(tx);
        assertUnique(tx.staged);
        commitHeads(tx);
        apply(tx.staged);
        return result;
      } finally {
        tx.open = false;
      }
    },
  };
}
