import { type EventLog, ValidationError } from '@eventlog/core';
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
  type InsertOptions,
  linkByPartition,
  partitionsOf,
  type RecordedCheckpoint,
  toTimestampKey,
} from '@eventlog/core/storage';
import { type ClientSession, type Connection, type Model, Types } from 'mongoose';
import { toDocument, toEventLog } from './mapping';
import type { ChainHeadDocument, EventLogDocument } from './schema';

function toHead(doc: ChainHeadDocument): ChainHead {
  return {
    chain: doc._id,
    seq: doc.seq,
    hash: doc.hash,
    start: { seq: doc.startSeq, hash: doc.startHash },
    checkpoint:
      doc.checkpointSeq == null || doc.checkpointHash == null || doc.checkpointAt == null
        ? null
        : { seq: doc.checkpointSeq, hash: doc.checkpointHash, at: doc.checkpointAt },
  };
}

/** A partition name as a filter value: a string, never an object a caller slipped in. */
function chainName(chain: unknown): string {
  if (typeof chain !== 'string') throw ValidationError.field('chain', 'must be a string');
  return chain;
}

/** The session of a Mongoose `transactionAsyncLocalStorage` transaction around this call, if any. */
export function ambientSession(connection: Connection): ClientSession | undefined {
  const base = connection.base as unknown as {
    transactionAsyncLocalStorage?: { getStore(): { session?: ClientSession } | undefined };
  };
  return base.transactionAsyncLocalStorage?.getStore()?.session;
}

/**
 * Runs tasks one after another per key, in this process. Not what keeps a chain from forking
 * (the head document does that, across processes): it spares writers of one process a storm of
 * WriteConflict aborts and re-runs against each other.
 */
function keyedQueue(): <T>(key: string, task: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (key, task) => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

/**
 * The `ChainStorage` members of the Mongoose storage. Appends and purges serialise per partition
 * on the partition's head document: inside a transaction, their first write increments its
 * `lockVersion` (creating it when new). MongoDB lets only one open transaction write a document:
 * a second writer gets a WriteConflict, labelled TransientTransactionError, so
 * `withTransaction` (the adapter's own, or the caller's) aborts it and runs it again, and it
 * reads the head the first one committed. The chain therefore never forks; the unique
 * `(chain, seq)` index is a second guard. Appends in a transaction of the adapter's own also
 * queue per partition set within this storage object, up to their commit.
 */
export function mongooseChainStorage(
  connection: Connection,
  model: Model<EventLogDocument>,
  heads: Model<ChainHeadDocument>,
): ChainStorage<ClientSession> {
  const queue = keyedQueue();

  /** Takes the partition's lock (creating its head when new) and returns its head. */
  async function lockHead(session: ClientSession, chain: string): Promise<ChainHeadDocument> {
    const head = await heads
      .findOneAndUpdate(
        // Plain equality (chain is a checked string): an upsert takes its `_id` from it, where
        // jongodb does not read one out of `{ $eq }`.
        { _id: chain },
        {
          $inc: { lockVersion: 1 },
          $setOnInsert: {
            seq: 0,
            hash: GENESIS_HASH,
            startSeq: 0,
            startHash: GENESIS_HASH,
            checkpointSeq: null,
            checkpointHash: null,
            checkpointAt: null,
          },
        },
        { upsert: true, returnDocument: 'after', session, setDefaultsOnInsert: false },
      )
      .lean<ChainHeadDocument>()
      .exec();
    return head as ChainHeadDocument;
  }

  /**
   * Runs `fn` in the caller's session (explicit, or Mongoose's transaction AsyncLocalStorage),
   * else in a transaction of its own, re-run by `withTransaction` after a transient error.
   */
  function inTransaction<T>(
    given: ClientSession | undefined,
    fn: (session: ClientSession) => Promise<T>,
  ): Promise<T> {
    const session = given ?? ambientSession(connection);
    if (session?.inTransaction()) return fn(session);
    // A session outside a transaction still needs one: the head and the entries go together.
    if (session) return session.withTransaction(() => fn(session));
    return connection.transaction(fn) as Promise<T>;
  }

  /** `inTransaction`, queued behind this process's other appends to the same partitions. */
  function queued<T>(
    chains: string[],
    given: ClientSession | undefined,
    fn: (session: ClientSession) => Promise<T>,
  ): Promise<T> {
    // The caller's transaction commits after we return, so a queue could not cover it.
    if (given ?? ambientSession(connection)) return inTransaction(given, fn);
    return queue(JSON.stringify(chains), () => inTransaction(undefined, fn));
  }

  /**
   * The stored timestamp as text: the key of a BSON Date (milliseconds, as eventlog writes it), or
   * the raw value when something else was stored there (a string ranges over dates never match).
   */
  const timestampKey = (value: unknown): string =>
    value instanceof Date && !Number.isNaN(value.getTime())
      ? toTimestampKey(value, 'timestamp')
      : String(value);

  const storage: ChainStorage<ClientSession> = {
    async appendChained(
      entries: readonly ChainInput[],
      link: ChainLinker,
      options?: InsertOptions<ClientSession>,
    ): Promise<EventLog[]> {
      if (entries.length === 0) return [];
      // A chain that is not a string is a ValidationError before any lock is taken.
      for (const entry of entries) chainName(entry.chain);
      return queued(partitionsOf(entries), options?.transaction, async (session) => {
        const linked = await linkByPartition(
          entries,
          link,
          async (chain) => {
            const head = await lockHead(session, chain);
            return { seq: head.seq, hash: head.hash };
          },
          async (chain, last) => {
            await heads
              .updateOne({ _id: chain }, { $set: { seq: last.seq, hash: last.hash } })
              .session(session)
              .exec();
          },
        );
        // Not `lean`: Mongoose casts and validates every document before anything is sent.
        const inserted = await model.insertMany(linked.map(toDocument), { session, ordered: true });
        return inserted.map((doc) => toEventLog(doc.toObject<EventLogDocument>()));
      });
    },

    async readChain(chain: string, range: ChainRange): Promise<ChainEntry[]> {
      const seq: { $gte: number; $lte?: number } = { $gte: range.fromSeq };
      if (range.toSeq !== undefined) seq.$lte = range.toSeq;
      const docs = await model
        .find({ chain: { $eq: chainName(chain) }, seq })
        .sort({ seq: 1 })
        .limit(range.limit)
        .lean<EventLogDocument[]>()
        .exec();
      return docs.map((doc) => ({ ...toEventLog(doc), timestampKey: timestampKey(doc.timestamp) }));
    },

    async readUnchained(after: string | null, limit: number): Promise<EventLog[]> {
      const filter: Record<string, unknown> = { chain: null };
      if (after !== null) {
        if (!Types.ObjectId.isValid(after)) throw ValidationError.field('after', 'must be an id');
        filter._id = { $gt: new Types.ObjectId(after) };
      }
      const docs = await model
        .find(filter)
        .sort({ _id: 1 })
        .limit(limit)
        .lean<EventLogDocument[]>()
        .exec();
      return docs.map(toEventLog);
    },

    async chainHead(chain: string): Promise<ChainHead | null> {
      const doc = await heads
        .findOne({ _id: chainName(chain) })
        .lean<ChainHeadDocument>()
        .exec();
      return doc ? toHead(doc) : null;
    },

    async listChains(): Promise<string[]> {
      const docs = await heads.find({}, { _id: 1 }).lean<Pick<ChainHeadDocument, '_id'>[]>().exec();
      // A head deleted by hand leaves its entries listed.
      const chained = (await model
        .distinct('chain', { chain: { $type: 'string' } })
        .exec()) as string[];
      return [...new Set([...docs.map((d) => d._id), ...chained])].sort();
    },

    async cutChain(chain: string, cut: ChainPosition, record: CutRecorder): Promise<number> {
      const name = chainName(chain);
      // Its own transaction: retention is a unit of work of its own, as in the SQL adapters.
      return connection.transaction(async (session) => {
        const head = await lockHead(session, name);
        if (head.startSeq >= cut.seq) return 0;
        const deleted = await model
          .deleteMany({ chain: { $eq: name }, seq: { $lte: cut.seq } })
          .session(session)
          .exec();
        await heads
          .updateOne({ _id: name }, { $set: { startSeq: cut.seq, startHash: cut.hash } })
          .session(session)
          .exec();
        const previous = { seq: head.startSeq, hash: head.startHash };
        await storage.appendChained([record.entry(previous)], record.link, {
          transaction: session,
        });
        return deleted.deletedCount;
      }) as Promise<number>;
    },

    async recordCheckpoint(chain: string, checkpoint: RecordedCheckpoint): Promise<void> {
      await heads
        .updateOne(
          {
            _id: chainName(chain),
            $or: [{ checkpointSeq: null }, { checkpointSeq: { $lte: checkpoint.seq } }],
          },
          {
            $set: {
              checkpointSeq: checkpoint.seq,
              checkpointHash: checkpoint.hash,
              checkpointAt: checkpoint.at,
            },
          },
        )
        .exec();
    },
  };
  return storage;
}
