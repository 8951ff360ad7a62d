import { randomBytes } from 'node:crypto';
import type { StorageHarness, TamperHooks } from '@eventlog/conformance';
import type { EventLog } from '@eventlog/core';
import { mongoTestTarget } from '@eventlog/test-servers/mongodb';
import mongoose, { type ClientSession, type Connection } from 'mongoose';
import { type MongooseEventLogStorage, mongooseStorage } from '../src';

/** The run's server (see the MongoDB globalSetup), or why there is none. */
export const target = mongoTestTarget();

let shared: Promise<Connection> | undefined;

/**
 * One connection per test file. jongodb has no `create` command, so Mongoose must not create
 * collections or indexes on its own: collections appear on first insert, indexes through
 * `ensureIndexes()`. `target.clientOptions` keeps jongodb's heartbeats healthy (see
 * `JONGODB_CLIENT_OPTIONS`); without them `connection.transaction()` fails now and then.
 */
export function connection(): Promise<Connection> {
  if (!target.url) throw new Error(target.unavailable);
  shared ??= mongoose
    .createConnection(target.url, { ...target.clientOptions, autoCreate: false, autoIndex: false })
    .asPromise();
  return shared;
}

/**
 * A connection of a Mongoose instance of its own with `transactionAsyncLocalStorage` on: the
 * session of `connection.transaction()` reaches every operation inside it that names none.
 * Its own instance keeps the option out of the other tests. The caller closes it.
 */
export function ambientConnection(): Promise<Connection> {
  if (!target.url) throw new Error(target.unavailable);
  return new mongoose.Mongoose({ transactionAsyncLocalStorage: true })
    .createConnection(target.url, { ...target.clientOptions, autoCreate: false, autoIndex: false })
    .asPromise();
}

/** Closes the file's connection (afterAll). */
export async function closeConnection(): Promise<void> {
  const open = shared;
  shared = undefined;
  if (open) await (await open).close();
}

/** A random collection name, so tests share nothing and run in any order. */
export function randomCollection(prefix = 'eventlog'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/**
 * Empties and forgets a collection. jongodb has no `drop` command; a real mongod drops it.
 */
export async function dropCollection(conn: Connection, name: string): Promise<void> {
  const collection = conn.collection(name);
  try {
    await collection.drop();
  } catch {
    await collection.deleteMany({});
  }
}

/** A storage on a fresh collection with its indexes, plus the conformance suite's raw hooks. */
export async function createHarness(): Promise<
  StorageHarness<ClientSession> & { storage: MongooseEventLogStorage; collection: string }
> {
  const conn = await connection();
  const collection = randomCollection();
  const storage = mongooseStorage(conn, { collection });
  await storage.ensureIndexes();
  return {
    storage,
    collection,
    readRaw: (id) => readRaw(conn, collection, id),
    async readChangedKeys(id) {
      if (!/^[0-9a-f]{24}$/i.test(id)) return [];
      const raw = await conn
        .collection(collection)
        .findOne({ _id: new mongoose.Types.ObjectId(id) }, { projection: { changedKeys: 1 } });
      return Array.isArray(raw?.changedKeys) ? [...raw.changedKeys].sort() : [];
    },
    historyMigration: {
      // A version before history wrote neither field.
      async down() {
        await conn
          .collection(collection)
          .updateMany({}, { $unset: { changedKeys: '', batchId: '' } });
      },
      async up() {
        await storage.ensureIndexes();
        await storage.backfillChangedKeys();
      },
    },
    withTransaction: <T>(fn: (tx: ClientSession) => Promise<T>) => conn.transaction(fn),
    async withSession<T>(fn: (tx: ClientSession) => Promise<T>): Promise<T> {
      const session = await conn.startSession();
      try {
        return await fn(session);
      } finally {
        await session.endSession();
      }
    },
    tamper: tamperHooks(conn, collection),
    async close() {
      await dropCollection(conn, collection);
      await dropCollection(conn, `${collection}_chain_heads`);
      conn.deleteModel(storage.model.modelName);
      conn.deleteModel(storage.chainHeads.modelName);
    },
  };
}

/**
 * Reads one entry with the raw driver, bypassing the adapter and Mongoose, and maps it with
 * this file's own code.
 */
export async function readRaw(
  conn: Connection,
  collection: string,
  id: string,
): Promise<EventLog | null> {
  if (!/^[0-9a-f]{24}$/i.test(id)) return null;
  const raw = await conn.collection(collection).findOne({ _id: new mongoose.Types.ObjectId(id) });
  if (!raw) return null;
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : null);
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    id: String(raw._id),
    timestamp: raw.timestamp as Date,
    actorId: text(raw.actorId),
    actorLabel: text(raw.actorLabel),
    message: String(raw.message),
    template: text(raw.template),
    values: json(raw.values),
    tool: String(raw.tool),
    action: String(raw.action),
    objectType: text(raw.objectType),
    objectId: text(raw.objectId),
    changes: json(raw.changes),
    metadata: json(raw.metadata),
    eventId: text(raw.eventId),
    batchId: text(raw.batchId),
    chain: text(raw.chain),
    seq: typeof raw.seq === 'number' ? raw.seq : null,
    prevHash: text(raw.prevHash),
    hash: text(raw.hash),
  };
}

/**
 * What an attacker with write access does, through the raw driver collections (no Mongoose, no
 * adapter). Objects are stored as the adapter stores them: JSON text.
 */
export function tamperHooks(conn: Connection, collection: string): TamperHooks {
  const entries = conn.collection(collection);
  const heads = conn.collection<{ _id: string }>(`${collection}_chain_heads`);
  const byId = (id: string) => ({ _id: new mongoose.Types.ObjectId(id) });
  return {
    async updateRaw(id, field, value) {
      const raw = typeof value === 'object' && value !== null ? JSON.stringify(value) : value;
      await entries.updateOne(byId(id), { $set: { [field]: raw } });
    },
    async deleteRaw(id) {
      await entries.deleteOne(byId(id));
    },
    async swapRaw(idA, idB) {
      const seqOf = async (id: string) => Number((await entries.findOne(byId(id)))?.seq);
      const [a, b] = [await seqOf(idA), await seqOf(idB)];
      // Through a free value: (chain, seq) is unique.
      await entries.updateOne(byId(idA), { $set: { seq: -1 } });
      await entries.updateOne(byId(idB), { $set: { seq: a } });
      await entries.updateOne(byId(idA), { $set: { seq: b } });
    },
    async rewindHead(chain, seq, hash) {
      await heads.updateOne({ _id: chain }, { $set: { seq, hash } });
    },
    async deleteHead(chain) {
      await heads.deleteOne({ _id: chain });
    },
    async moveStart(chain, seq, hash) {
      await heads.updateOne({ _id: chain }, { $set: { startSeq: seq, startHash: hash } });
    },
    async insertRaw(entry) {
      const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
      const _id = new mongoose.Types.ObjectId();
      await entries.insertOne({
        ...entry,
        _id,
        values: json(entry.values),
        changes: json(entry.changes),
        metadata: json(entry.metadata),
      });
      return _id.toHexString();
    },
    // A document store keeps whatever type it is given: the text instead of a BSON Date.
    async retimeRaw(id, text) {
      await entries.updateOne(byId(id), { $set: { timestamp: text } });
    },
  };
}

/**
 * A storage whose connection is closed, for the StorageError tests. `bufferCommands: false`
 * makes calls fail at once instead of waiting for a reconnect.
 */
export async function brokenStorage(): Promise<MongooseEventLogStorage> {
  if (!target.url) throw new Error(target.unavailable);
  const conn = await mongoose
    .createConnection(target.url, {
      ...target.clientOptions,
      autoCreate: false,
      autoIndex: false,
      bufferCommands: false,
    })
    .asPromise();
  await conn.close();
  return mongooseStorage(conn, { collection: randomCollection('broken') });
}

/** Suffix of every describe title: which server (`describeSuite` adds why a suite is skipped). */
export const serverLabel = target.server ?? 'no server';
