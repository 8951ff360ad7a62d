import { describeSuite } from '@eventlog/conformance';
import { EventLogService } from '@eventlog/core';
import { type ClientSession, type Connection, type Model, Schema } from 'mongoose';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { type MongooseEventLogStorage, mongooseStorage } from '../src';
import {
  ambientConnection,
  dropCollection,
  randomCollection,
  readRaw,
  serverLabel,
  target,
} from './harness';

interface Item {
  name: string;
}

// Inside `connection.transaction()` entries logged with no session join it (see
// `ambientConnection`).
describeSuite(
  `mongoose ambient transactions (${serverLabel})`,
  { name: 'mongoose', unavailable: target.url ? undefined : target.unavailable },
  () => {
    let conn: Connection;
    let storage: MongooseEventLogStorage;
    let Item: Model<Item>;
    let collection: string;
    let itemCollection: string;

    beforeAll(async () => {
      conn = await ambientConnection();
    });
    afterAll(() => conn.close());

    beforeEach(async () => {
      collection = randomCollection();
      storage = mongooseStorage(conn, { collection });
      await storage.ensureIndexes();
      itemCollection = randomCollection('items');
      Item = conn.model<Item>(itemCollection, new Schema<Item>({ name: String }), itemCollection);
      // Before MongoDB 4.4 a collection could not be created inside a transaction.
      await Item.create({ name: 'seed' });
    });
    afterEach(async () => {
      for (const name of [collection, `${collection}_chain_heads`, itemCollection]) {
        await dropCollection(conn, name);
      }
      for (const model of [storage.model, storage.chainHeads, Item])
        conn.deleteModel(model.modelName);
    });

    const count = async (tool: string) =>
      (await storage.find({ tool: [tool], limit: 10, offset: 0, order: 'desc', withCount: true }))
        .count;

    it('a failed ambient transaction leaves neither the business document nor any entry', async () => {
      const plain = new EventLogService<ClientSession>(storage);
      const chained = new EventLogService<ClientSession>(storage, {
        integrity: { partition: 'default' },
      });
      const tool = randomCollection('tool');
      const ids: string[] = [];
      const boom = new Error('business rule failed');
      await expect(
        conn.transaction(async () => {
          await new Item({ name: 'dropped' }).save();
          for (const service of [plain, chained]) {
            ids.push((await service.log({ template: 'x', tool, action: 'create' })).id);
          }
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(ids).toHaveLength(2);
      expect(await Item.countDocuments({ name: 'dropped' })).toBe(0);
      expect(await count(tool)).toBe(0);
      for (const id of ids) expect(await readRaw(conn, collection, id)).toBeNull();
    });

    it('entries join the ambient transaction: unseen outside until it commits, a retry finds them', async () => {
      const service = new EventLogService<ClientSession>(storage);
      const tool = randomCollection('tool');
      const input = { template: 'paid', tool, action: 'pay', eventId: randomCollection('evt') };
      const [first, retried] = await conn.transaction(async () => {
        await new Item({ name: 'kept' }).save();
        const a = await service.log(input);
        expect(await readRaw(conn, collection, a.id)).toBeNull();
        // The service's eventId lookup reads inside the transaction too.
        const b = await service.log(input);
        return [a, b] as const;
      });
      expect(retried).toEqual(first);
      expect(await Item.countDocuments({ name: 'kept' })).toBe(1);
      expect(await readRaw(conn, collection, first.id)).toEqual(first);
      expect(await count(tool)).toBe(1);
    });
  },
);
