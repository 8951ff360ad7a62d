import { randomUUID } from 'node:crypto';
import { describeSuite } from '@eventlog/conformance';
import { EventLogService } from '@eventlog/core';
import mongoose, { type ClientSession, type Connection, type Model, Schema } from 'mongoose';
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

interface Item {
  name: string;
}

/**
 * The error MongoDB labels a write conflict or a primary step-down with. Neither can be provoked
 * on demand against one jongodb server, so the callback throws a driver `MongoError` carrying
 * the same label: the driver's own `withTransaction` loop then aborts and re-runs the callback,
 * exactly as it does after a real transient failure.
 */
function transientError(): Error {
  const error = new mongoose.mongo.MongoError('forced transient failure (test)');
  error.addErrorLabel('TransientTransactionError');
  return error;
}

/**
 * A transaction callback that Mongo's `withTransaction` runs twice logs one
 * entry with its `eventId`, together with one business write.
 */
describeSuite(
  `mongoose withTransaction retry (${serverLabel})`,
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
      await Item.create({ name: 'seed' });
    });
    afterEach(async () => {
      await h.close();
      await dropCollection(conn, itemCollection);
      conn.deleteModel(itemCollection);
    });
    afterAll(closeConnection);

    const runners: [string, (fn: (session: ClientSession) => Promise<void>) => Promise<unknown>][] =
      [
        [
          'driver session.withTransaction',
          async (fn) => {
            const session = await conn.startSession();
            try {
              await session.withTransaction(() => fn(session));
            } finally {
              await session.endSession();
            }
          },
        ],
        ['mongoose connection.transaction', (fn) => conn.transaction(fn)],
      ];

    for (const [name, run] of runners) {
      it(`${name}: a callback run twice stores one entry and one business write`, async () => {
        const service = new EventLogService(h.storage);
        const tool = `retry-${randomUUID()}`;
        const eventId = `evt-${randomUUID()}`;
        const name_ = `item-${randomUUID()}`;
        let attempts = 0;
        const logged: string[] = [];
        await run(async (session) => {
          attempts += 1;
          await Item.create([{ name: name_ }], { session });
          const entry = await service.log(
            { template: 'Item created', tool, action: 'create', eventId },
            { transaction: session },
          );
          logged.push(entry.id);
          if (attempts === 1) throw transientError();
        });
        expect(attempts).toBe(2);
        expect(await Item.countDocuments({ name: name_ })).toBe(1);
        const page = await h.storage.find({
          tool: [tool],
          limit: 10,
          offset: 0,
          order: 'desc',
          withCount: true,
        });
        expect(page.count).toBe(1);
        // The aborted attempt's entry is gone; the committed one is the retry's.
        expect(page.results[0]?.id).toBe(logged[1]);
        expect(await h.readRaw(logged[0] ?? '')).toBeNull();
        expect((await h.readRaw(logged[1] ?? ''))?.eventId).toBe(eventId);
      });
    }
  },
);
