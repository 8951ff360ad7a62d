import {
  ConfigurationError,
  type EventLog,
  type EventLogPage,
  ValidationError,
} from '@eventlog/core';
import {
  type ChainStorage,
  countLimitOf,
  type DeleteFilter,
  type EventLogStorage,
  encodeCursor,
  type InsertOptions,
  type NewEventLog,
  pageCount,
  pageFromRows,
  type StorageQuery,
} from '@eventlog/core/storage';
import type { ClientSession, Connection, Model, Schema } from 'mongoose';
import { backfillChangedKeys } from './backfill';
import { ambientSession, mongooseChainStorage } from './chain';
import { toDocument, toEventLog } from './mapping';
import { buildDeleteFilter, buildFilter, cursorKey, isObjectIdHex, keysetCondition } from './query';
import {
  type ChainHeadDocument,
  createChainHeadSchema,
  createEventLogSchema,
  type EventLogDocument,
} from './schema';

/** Options of `mongooseStorage`. */
export interface MongooseStorageOptions {
  /** Collection name; default `"eventlogs"`. */
  collection?: string;
  /**
   * Name of the Mongoose model registered on the connection; default `"EventLog"` for the
   * default collection and `"EventLog_<collection>"` otherwise, so several logs can share one
   * connection.
   */
  modelName?: string;
}

/** The Mongoose storage: the port with tamper evidence, plus the models and index creation. */
export type MongooseEventLogStorage = EventLogStorage<ClientSession> &
  ChainStorage<ClientSession> & {
    /** The Mongoose model of the log collection, for reads the port does not offer. */
    readonly model: Model<EventLogDocument>;
    /** The model of the chain heads (`<collection>_chain_heads`, one document per partition). */
    readonly chainHeads: Model<ChainHeadDocument>;
    /**
     * Creates the collection's indexes (idempotent): `(objectType, objectId, timestamp, _id)`,
     * `(tool, timestamp, _id)`, `(actorId, timestamp, _id)`, `(timestamp, _id)`, the unique
     * partial index on `eventId` and the unique partial index on `(chain, seq)`. Call it once at
     * deploy or start-up; without the `eventId` index a retried `log()` is not deduplicated, and
     * without `(chain, seq)` the chain loses its second guard against forks and `verify` scans.
     * After upgrading from a version without changed-key indexing, run `backfillChangedKeys()`
     * once as well.
     */
    ensureIndexes(): Promise<void>;
    /**
     * The migration to changed-key indexing: fills `changedKeys` on the documents stored
     * without it (by a version before it), so `list({ changedKey })` finds them; returns how
     * many it filled. Idempotent, and safe while the application writes.
     */
    backfillChangedKeys(): Promise<number>;
  };

// Schemas this module built, so an existing model of the same name is reused only when it is ours.
const ownSchemas = new WeakSet<Schema>();

/**
 * An `EventLogStorage` on a Mongoose connection. `insert` joins the caller's `ClientSession`
 * when given `{ transaction: session }` (for example inside `connection.transaction()`), else
 * the session of Mongoose's `transactionAsyncLocalStorage` transaction around the call, so the
 * entries commit or abort with the business write. A failed batch writes nothing, in a
 * transaction or not. Call `ensureIndexes()` once.
 *
 * @throws ConfigurationError when the connection already has a different model of that name.
 */
export function mongooseStorage(
  connection: Connection,
  options: MongooseStorageOptions = {},
): MongooseEventLogStorage {
  const collection = options.collection ?? 'eventlogs';
  const modelName =
    options.modelName ?? (collection === 'eventlogs' ? 'EventLog' : `EventLog_${collection}`);
  const model = resolveModel(connection, modelName, collection, createEventLogSchema);
  const chainHeads = resolveModel(
    connection,
    `${modelName}_ChainHead`,
    `${collection}_chain_heads`,
    createChainHeadSchema,
  );

  /**
   * The caller's session, else the one of a Mongoose `transactionAsyncLocalStorage` transaction
   * around the call (an explicit `session: null` would keep Mongoose from applying it), else none.
   */
  const sessionOf = (opts?: InsertOptions<ClientSession>): ClientSession | null =>
    opts?.transaction ?? ambientSession(connection) ?? null;

  /** How many documents match `filter`, counting at most `max` (`countLimitOf`; null: all). */
  const countMatches = (
    filter: ReturnType<typeof buildFilter>,
    max: number | null,
  ): Promise<number | undefined> =>
    max === 0
      ? Promise.resolve(undefined)
      : model.countDocuments(filter, max === null ? {} : { limit: max }).exec();

  return {
    name: 'mongoose',
    capabilities: { transactions: true, eventIdLookup: true, integrity: true },
    model,
    chainHeads,
    ...mongooseChainStorage(connection, model, chainHeads),

    async ensureIndexes() {
      await model.createIndexes();
    },

    backfillChangedKeys: () => backfillChangedKeys(model),

    async insert(entries: readonly NewEventLog[], opts?: InsertOptions<ClientSession>) {
      if (entries.length === 0) return [];
      const session = sessionOf(opts);
      const inTransaction = session?.inTransaction() ?? false;
      const docs = entries.map(toDocument);
      let stored: EventLogDocument[];
      try {
        // Not `lean`: Mongoose casts and validates every document before anything is sent.
        const inserted = await model.insertMany(docs, { session, ordered: true });
        stored = inserted.map((doc) => doc.toObject<EventLogDocument>());
      } catch (error) {
        // Outside a transaction (no session, or a session that opened none) an ordered
        // insertMany keeps the documents before the failing one, even on a server where one
        // `insert` command is atomic: the driver splits a large batch into several. Remove them,
        // so that a failed call writes nothing, as the port promises. In a transaction the
        // server aborts it instead.
        if (!inTransaction && docs.length > 1) {
          await model
            .deleteMany({ _id: { $in: docs.map((d) => d._id) } })
            .session(session)
            .catch(() => undefined);
        }
        throw error;
      }
      return stored.map(toEventLog);
    },

    async find(query: StorageQuery): Promise<EventLogPage> {
      const order = query.order === 'asc' ? 'asc' : 'desc';
      const filter = buildFilter(query);
      const limit = checkedInt('limit', query.limit, 1);
      const offset = checkedInt('offset', query.offset ?? 0, 0);
      const pageFilter = query.cursor
        ? { ...filter, ...keysetCondition(query.cursor, order) }
        : filter;
      const direction = order === 'asc' ? 1 : -1;
      const page = model
        .find(pageFilter)
        .sort({ timestamp: direction, _id: direction })
        .limit(limit + 1);
      // No `skip: 0` on the wire: a first page asks the server exactly what a plain find does.
      if (offset > 0) page.skip(offset);
      const [docs, count] = await Promise.all([
        page.lean<EventLogDocument[]>().exec(),
        countMatches(filter, countLimitOf(query)),
      ]);
      return pageFromRows(
        docs,
        limit,
        toEventLog,
        (last) => encodeCursor(order, cursorKey(last.timestamp, last._id.toHexString())),
        pageCount(query, count),
      );
    },

    async get(id: string): Promise<EventLog | null> {
      if (!isObjectIdHex(id)) return null;
      const doc = await model.findById(id).lean<EventLogDocument>().exec();
      return doc ? toEventLog(doc) : null;
    },

    async findByEventId(eventId: string, opts?: InsertOptions<ClientSession>) {
      if (typeof eventId !== 'string') throw ValidationError.field('eventId', 'must be a string');
      const doc = await model
        .findOne({ eventId: { $eq: eventId } })
        .session(sessionOf(opts))
        .lean<EventLogDocument>()
        .exec();
      return doc ? toEventLog(doc) : null;
    },

    async deleteBefore(cutoff: Date, filter?: DeleteFilter): Promise<number> {
      const result = await model.deleteMany(buildDeleteFilter(cutoff, filter)).exec();
      return result.deletedCount;
    },
  };
}

function resolveModel<T>(
  connection: Connection,
  modelName: string,
  collection: string,
  createSchema: (collection: string) => Schema<T>,
): Model<T> {
  const existing = connection.models[modelName] as Model<T> | undefined;
  if (existing) {
    if (ownSchemas.has(existing.schema) && existing.collection.collectionName === collection) {
      return existing;
    }
    throw new ConfigurationError(
      `the connection already has a model "${modelName}" that is not the event log of collection "${collection}"; pass another modelName`,
    );
  }
  const schema = createSchema(collection);
  ownSchemas.add(schema as Schema);
  return connection.model<T>(modelName, schema, collection);
}

function checkedInt(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw ValidationError.field(field, `must be an integer of at least ${min}`);
  }
  return value;
}
