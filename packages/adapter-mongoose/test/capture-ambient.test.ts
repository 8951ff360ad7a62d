import { describeSuite } from '@eventlog/conformance';
import { EventLogService } from '@eventlog/core';
import { type ClientSession, type Connection, type Model, Schema } from 'mongoose';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { eventLogPlugin, type MongooseEventLogStorage, mongooseStorage } from '../src';
import {
  ambientConnection,
  dropCollection,
  randomCollection,
  serverLabel,
  target,
} from './harness';

interface Item {
  name: string;
  qty: number;
}

// Inside `connection.transaction()` captured writes that name no session, and their entries,
// join it (see `ambientConnection`).
describeSuite(
  `mongoose capture in ambient transactions (${serverLabel})`,
  { name: 'mongoose', unavailable: target.url ? undefined : target.unavailable },
  () => {
    let conn: Connection;
    let storage: MongooseEventLogStorage;
    let eventlog: EventLogService<ClientSession>;
    let Item: Model<Item>;
    let names: string[];

    beforeAll(async () => {
      conn = await ambientConnection();
    });
    afterAll(() => conn.close());
    beforeEach(async () => {
      const logs = randomCollection();
      storage = mongooseStorage(conn, { collection: logs });
      await storage.ensureIndexes();
      eventlog = new EventLogService<ClientSession>(storage);
      const schema = new Schema<Item>({ name: String, qty: Number });
      schema.plugin(eventLogPlugin, { eventlog, objectType: 'Item', tool: 'ambient' });
      const items = randomCollection('items');
      Item = conn.model<Item>(items, schema, items);
      await conn.collection(items).insertOne({ name: 'seed', qty: 0 });
      names = [items, logs, `${logs}_chain_heads`];
    });
    afterEach(async () => {
      for (const name of names) await dropCollection(conn, name);
      for (const model of Object.keys(conn.models)) conn.deleteModel(model);
    });

    const actions = async () =>
      (await eventlog.list({ tool: 'ambient', order: 'asc', limit: 100 })).results.map(
        (e) => e.action,
      );

    const writes = async () => {
      await Item.insertMany([{ name: 'a', qty: 1 }]);
      await Item.create({ name: 'b', qty: 2 });
      await Item.updateMany({}, { $inc: { qty: 1 } });
      const doc = await Item.findOne({ name: 'a' }).orFail();
      doc.name = 'a2';
      await doc.save();
      await Item.deleteOne({ name: 'b' });
    };

    it('captured writes given no session join the ambient transaction and commit with it', async () => {
      await conn.transaction(writes);
      expect(await actions()).toEqual([
        'create',
        'create',
        'update',
        'update',
        'update',
        'update',
        'delete',
      ]);
      const stored = await conn.collection(Item.collection.name).find().sort({ name: 1 }).toArray();
      expect(stored.map((d) => [d.name, d.qty])).toEqual([
        ['a2', 2],
        ['seed', 1],
      ]);
    });

    it('an aborted ambient transaction keeps neither the writes nor their entries', async () => {
      const boom = new Error('business rule failed');
      await expect(
        conn.transaction(async () => {
          await writes();
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await actions()).toEqual([]);
      const stored = await conn.collection(Item.collection.name).find().toArray();
      expect(stored.map((d) => [d.name, d.qty])).toEqual([['seed', 0]]);
    });
  },
);
