import { describeSuite, isUniqueViolation } from '@eventlog/conformance';
import { type Connection, type Model, Schema } from 'mongoose';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { entry } from './fixtures';
import {
  closeConnection,
  connection,
  createHarness,
  dropCollection,
  randomCollection,
  serverLabel,
  target,
} from './harness';

interface Item {
  name: string;
}

describeSuite(
  `mongoose transactions (${serverLabel})`,
  { name: 'mongoose', unavailable: target.unavailable },
  () => {
    let h: Awaited<ReturnType<typeof createHarness>>;
    let conn: Connection;
    let Item: Model<Item>;
    let itemCollection: string;

    beforeEach(async () => {
      h = await createHarness();
      conn = await connection();
      itemCollection = randomCollection('items');
      Item = conn.model<Item>(itemCollection, new Schema<Item>({ name: String }), itemCollection);
      // Before MongoDB 4.4 a collection could not be created inside a transaction.
      await Item.create({ name: 'seed' });
    });
    afterEach(async () => {
      await h.close();
      await dropCollection(conn, itemCollection);
      conn.deleteModel(itemCollection);
    });
    afterAll(closeConnection);

    const count = async (tool: string) =>
      (await h.storage.find({ tool: [tool], limit: 10, offset: 0, order: 'desc', withCount: true }))
        .count;

    it('commits the business write and the entries together (connection.transaction)', async () => {
      const tool = 'tx-commit';
      const ids = await conn.transaction(async (session) => {
        const [item] = await Item.create([{ name: 'kept' }], { session });
        const stored = await h.storage.insert(
          [
            entry({ tool, objectType: 'Item', objectId: String(item!._id), eventId: 'in-tx' }),
            entry({ tool }),
          ],
          { transaction: session },
        );
        // Inside the session the uncommitted entry is visible; outside it is not yet.
        expect(await h.storage.findByEventId!('in-tx', { transaction: session })).toEqual(
          stored[0],
        );
        expect(await h.storage.findByEventId!('in-tx')).toBeNull();
        expect(await h.readRaw(stored[0]!.id)).toBeNull();
        return stored.map((s) => s.id);
      });
      expect(await Item.countDocuments({ name: 'kept' })).toBe(1);
      expect(await count(tool)).toBe(2);
      for (const id of ids) expect(await h.readRaw(id)).not.toBeNull();
    });

    it('aborts both when the transaction throws (session.withTransaction)', async () => {
      const tool = 'tx-abort';
      const session = await conn.startSession();
      let storedId: string | undefined;
      try {
        await expect(
          session.withTransaction(async () => {
            await Item.create([{ name: 'dropped' }], { session });
            const [stored] = await h.storage.insert([entry({ tool })], { transaction: session });
            storedId = stored!.id;
            throw new Error('business rule failed');
          }),
        ).rejects.toThrow('business rule failed');
      } finally {
        await session.endSession();
      }
      expect(storedId).toMatch(/^[0-9a-f]{24}$/);
      expect(await Item.countDocuments({ name: 'dropped' })).toBe(0);
      expect(await count(tool)).toBe(0);
      expect(await h.readRaw(storedId!)).toBeNull();
    });

    it('aborts the business write when the entry cannot be stored (repeated eventId)', async () => {
      const tool = 'tx-entry-fails';
      await h.storage.insert([entry({ tool, eventId: 'once' })]);
      await expect(
        conn.transaction(async (session) => {
          await Item.create([{ name: 'orphan' }], { session });
          await h.storage.insert([entry({ tool, eventId: 'once' })], { transaction: session });
        }),
      ).rejects.toSatisfy(isUniqueViolation);
      expect(await Item.countDocuments({ name: 'orphan' })).toBe(0);
      expect(await count(tool)).toBe(1);
    });
  },
);
