import { EventLogService } from '@eventlog/core';
import type { Connection } from 'mongoose';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mongooseStorage } from '../src';
import {
  closeConnection,
  connection,
  createHarness,
  dropCollection,
  randomCollection,
  serverLabel,
  target,
} from './harness';

/**
 * Whether the server aborts one of two open transactions writing the same document (MongoDB's
 * WriteConflict), which is what serialises appends from different processes on a head document.
 */
async function detectsWriteConflicts(conn: Connection): Promise<boolean> {
  const name = randomCollection('conflict_probe');
  const docs = conn.collection<{ _id: string; n: number }>(name);
  await docs.insertOne({ _id: 'x', n: 0 });
  const sessions = [conn.getClient().startSession(), conn.getClient().startSession()];
  try {
    for (const s of sessions) s.startTransaction();
    const outcomes = await Promise.allSettled(
      sessions.map(async (session) => {
        await docs.updateOne({ _id: 'x' }, { $inc: { n: 1 } }, { session });
        await session.commitTransaction();
      }),
    );
    return outcomes.some((o) => o.status === 'rejected');
  } finally {
    for (const s of sessions) await s.endSession();
    await dropCollection(conn, name);
  }
}

const inputs = (count: number) =>
  Array.from({ length: count }, (_, n) => ({
    template: `entry ${n}`,
    tool: 'items',
    action: 'update',
  }));

const seqs = (count: number) => Array.from({ length: count }, (_, i) => i + 1);

describe.skipIf(!target.url)(`mongoose concurrent chained appends (${serverLabel})`, () => {
  let h: Awaited<ReturnType<typeof createHarness>>;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());
  afterAll(closeConnection);

  it('16 concurrent log() calls through one storage append one gap-free chain', async () => {
    const service = new EventLogService(h.storage, { integrity: {} });
    const stored = await Promise.all(inputs(16).map((input) => service.log(input)));
    expect(stored.map((e) => Number(e.seq)).sort((a, b) => a - b)).toEqual(seqs(16));
    expect(await service.verify()).toEqual({ ok: true, partition: 'default', checked: 16 });
    expect(await h.storage.chainHead('default')).toMatchObject({ seq: 16 });
  });

  it('16 concurrent log() calls through 4 storage objects (as from 4 processes) serialise on the head document', async (ctx) => {
    const conn = await connection();
    if (!(await detectsWriteConflicts(conn))) {
      return ctx.skip(
        `${target.server} commits two transactions that wrote the same document (no WriteConflict), so nothing can serialise writers that do not share a process; run with EVENTLOG_MONGODB_URL=<a real mongod replica set>`,
      );
    }
    // Separate storage objects share no in-process queue: only the server orders them.
    const services = Array.from(
      { length: 4 },
      (_, i) =>
        new EventLogService(
          mongooseStorage(conn, { collection: h.collection, modelName: `${h.collection}_${i}` }),
          { integrity: {} },
        ),
    );
    const stored = await Promise.all(
      inputs(16).map(
        (input, n) => services[n % 4]?.log(input) as ReturnType<EventLogService['log']>,
      ),
    );
    expect(stored.map((e) => Number(e.seq)).sort((a, b) => a - b)).toEqual(seqs(16));
    expect(await services[0]?.verify()).toEqual({ ok: true, partition: 'default', checked: 16 });
    for (let i = 0; i < 4; i++) conn.deleteModel(`${h.collection}_${i}`);
    for (let i = 0; i < 4; i++) conn.deleteModel(`${h.collection}_${i}_ChainHead`);
  });
});
