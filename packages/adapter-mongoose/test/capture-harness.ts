import type { CaptureHarness, CaptureSetup, ItemRow, ItemWhere } from '@eventlog/conformance';
import { EventLogService } from '@eventlog/core';
import mongoose, { type ClientSession, type Model, Schema } from 'mongoose';
import { type EventLogStatics, eventLogPlugin, mongooseStorage } from '../src';
import { connection, dropCollection, randomCollection } from './harness';

type ItemDoc = Omit<ItemRow, 'id'> & { _id: mongoose.Types.ObjectId };

/** A stored item as the suite sees it: `id` is the `_id` as hex, the version key left out. */
function toRow(doc: Record<string, unknown>): ItemRow {
  const { _id, name, status, qty, password, note } = doc as ItemDoc;
  return { id: _id.toHexString(), name, status, qty, password, note };
}

/** An equality filter on `_id` instead of the suite's `id`. */
function filterOf(where: ItemWhere = {}): Record<string, unknown> {
  const { id, ...rest } = where;
  return id === undefined ? rest : { ...rest, _id: new mongoose.Types.ObjectId(String(id)) };
}

/**
 * The capture suite's tracked collection: a Mongoose model with `eventLogPlugin`, written through
 * the model's own `insertMany`, `updateMany` (`$set`) and `deleteMany`.
 */
export async function createCaptureHarness(
  setup: CaptureSetup,
): Promise<CaptureHarness<ClientSession>> {
  const conn = await connection();
  const logCollection = randomCollection();
  const storage = mongooseStorage(conn, { collection: logCollection });
  await storage.ensureIndexes();
  const eventlog = new EventLogService<ClientSession>(
    storage,
    setup.integrity ? { integrity: { partition: 'default' } } : {},
  );
  const schema = new Schema<ItemDoc>({
    name: { type: String, required: true },
    status: { type: String, required: true },
    qty: { type: Number, required: true },
    password: { type: String, default: null },
    note: { type: String, default: null },
  });
  schema.plugin(eventLogPlugin, { eventlog, ...setup.options });
  const name = randomCollection('items');
  const Item = conn.model(name, schema, name) as unknown as Model<ItemDoc> & EventLogStatics;
  // Before MongoDB 4.4 a collection could not be created inside a transaction.
  await conn.collection(name).insertOne({ seed: true });
  await conn.collection(name).deleteMany({});
  const sessionOf = (tx: ClientSession | undefined) => (tx === undefined ? {} : { session: tx });
  const read = async (where: ItemWhere, session?: ClientSession) =>
    (
      await Item.find(filterOf(where))
        .sort({ _id: 1 })
        .session(session ?? null)
        .lean()
    ).map(toRow);

  return {
    eventlog,
    outsideTransaction: 'refuses',
    async insert(rows, options = {}) {
      const docs = await Item.insertMany(rows, sessionOf(options.transaction));
      return docs.map((d) => toRow(d.toObject()));
    },
    async update(where, patch, options = {}) {
      const ids = (await read(where, options.transaction)).map((r) => r.id);
      await Item.updateMany(filterOf(where), { $set: patch }, sessionOf(options.transaction));
      const after = await read({}, options.transaction);
      return after.filter((r) => ids.includes(r.id));
    },
    async delete(where, options = {}) {
      const before = await read(where, options.transaction);
      await Item.deleteMany(filterOf(where), sessionOf(options.transaction));
      return before;
    },
    revert: (entryId, options = {}) =>
      Item.revertEntry(entryId, { ...sessionOf(options.transaction), force: options.force }),
    transaction: (fn) => conn.transaction(fn),
    async rows(where) {
      const found = await conn.collection(name).find(filterOf(where)).sort({ _id: 1 }).toArray();
      return found.map(toRow);
    },
    async close() {
      for (const c of [name, logCollection, `${logCollection}_chain_heads`]) {
        await dropCollection(conn, c);
      }
      for (const model of [Item, storage.model, storage.chainHeads])
        conn.deleteModel(model.modelName);
    },
  };
}
