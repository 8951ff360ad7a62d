import { describeSuite } from '@eventlog/conformance';
import { EventLogAction, EventLogService } from '@eventlog/core';
import { type ClientSession, type Connection, type Model, Schema, type Types } from 'mongoose';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import {
  closeConnection,
  connection,
  createHarness,
  dropCollection,
  randomCollection,
  serverLabel,
  target,
} from './harness';

interface User {
  full_name: string;
  email: string;
}
interface Item {
  name: string;
  owner: { name: string };
  ownerId: Types.ObjectId;
}

describeSuite(
  `EventLogService on mongoose with Mongoose documents (${serverLabel})`,
  { name: 'mongoose', unavailable: target.unavailable },
  () => {
    let h: Awaited<ReturnType<typeof createHarness>>;
    let conn: Connection;
    let User: Model<User>;
    let Item: Model<Item>;
    let service: EventLogService<ClientSession>;

    beforeEach(async () => {
      h = await createHarness();
      conn = await connection();
      User = conn.model<User>(
        randomCollection('User'),
        new Schema<User>({ full_name: String, email: String }),
      );
      Item = conn.model<Item>(
        randomCollection('Item'),
        new Schema<Item>({ name: String, owner: { name: String }, ownerId: Schema.Types.ObjectId }),
      );
      service = new EventLogService(h.storage);
    });
    afterEach(async () => {
      await h.close();
      for (const model of [User, Item]) {
        await dropCollection(conn, model.collection.collectionName);
        conn.deleteModel(model.modelName);
      }
    });
    afterAll(closeConnection);

    it('resolves documents as object, actor and template values inside a transaction', async () => {
      const [user] = await User.create([{ full_name: 'John Doe', email: 'john@example.com' }]);
      const [item] = await Item.create([
        { name: 'Certificate A', owner: { name: 'Team Blue' }, ownerId: user!._id },
      ]);
      const before = item!.toJSON();

      const entry = await conn.transaction(async (session) => {
        item!.name = 'Certificate B';
        await item!.save({ session });
        return service.log(
          {
            template: 'Item {item__name} of {item__owner__name} was updated by {user__full_name}.',
            values: { item__name: item, item__owner__name: item, user__full_name: user },
            object: item,
            actor: user,
            tool: 'example_feature',
            action: EventLogAction.UPDATE,
            changes: service.createDiffSchema(before, item!.toJSON()),
          },
          { transaction: session },
        );
      });

      const expected = {
        message: 'Item Certificate B of Team Blue was updated by John Doe.',
        objectType: Item.modelName,
        objectId: item!._id.toHexString(),
        actorId: user!._id.toHexString(),
        actorLabel: 'John Doe',
        changes: { oldValue: { name: 'Certificate A' }, newValue: { name: 'Certificate B' } },
      };
      expect(entry).toMatchObject(expected);
      expect(await h.readRaw(entry.id)).toMatchObject(expected);
      expect(entry.values).toEqual({
        item__name: 'Certificate B',
        item__owner__name: 'Team Blue',
        user__full_name: 'John Doe',
      });

      const page = await service.listForObject(item);
      expect(page.results.map((r) => r.id)).toEqual([entry.id]);
    });

    it('drops the entry with the business write when the transaction aborts', async () => {
      const [user] = await User.create([{ full_name: 'Jane Roe', email: 'jane@example.com' }]);
      const [item] = await Item.create([
        { name: 'Doomed', owner: { name: 'x' }, ownerId: user!._id },
      ]);
      await expect(
        conn.transaction(async (session) => {
          await Item.deleteOne({ _id: item!._id }, { session });
          await service.log(
            {
              template: 'Item {item__name} was deleted by {user__full_name}.',
              values: { item__name: item, user__full_name: user },
              object: item,
              actor: user,
              tool: 'example_feature',
              action: EventLogAction.DELETE,
            },
            { transaction: session },
          );
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await Item.countDocuments({ _id: item!._id })).toBe(1);
      expect((await service.listForObject(item, { withCount: true })).count).toBe(0);
    });

    it('writes a retried log() with the same eventId once', async () => {
      const [user] = await User.create([{ full_name: 'Retry', email: 'r@example.com' }]);
      const input = {
        template: 'Imported by {user__full_name}.',
        values: { user__full_name: user },
        actor: user,
        tool: 'import',
        action: 'import',
        eventId: 'import-42',
      };
      const first = await service.log(input);
      const second = await service.log(input);
      expect(second.id).toBe(first.id);
      expect((await service.list({ tool: 'import', withCount: true })).count).toBe(1);
    });
  },
);
