import { describeSuite } from '@eventlog/conformance';
import { EventLogService } from '@eventlog/core';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { mongooseStorage } from '../src';
import { closeConnection, connection, createHarness, serverLabel, target } from './harness';

const inputs = (count: number) =>
  Array.from({ length: count }, (_, n) => ({
    template: `entry ${n}`,
    tool: 'items',
    action: 'update',
  }));

const seqs = (count: number) => Array.from({ length: count }, (_, i) => i + 1);

describeSuite(
  `mongoose concurrent chained appends (${serverLabel})`,
  { name: 'mongoose', unavailable: target.unavailable },
  () => {
    let h: Awaited<ReturnType<typeof createHarness>>;
    beforeEach(async () => {
      h = await createHarness();
    });
    afterEach(() => h.close());
    afterAll(closeConnection);

    // Across processes only the server orders appends: a WriteConflict on the head document. jongodb
    // does not provide that reliably (two open transactions writing one document may both commit,
    // and a conflict it does see at commit lacks the TransientTransactionError label), so this runs
    // only against a real mongod. Decided up front, not by probing, so the run is deterministic.
    it.skipIf(target.server === 'jongodb')(
      `16 concurrent log() calls through 4 storage objects (as from 4 processes) serialise on the head document${target.server === 'jongodb' ? ' — SKIPPED on jongodb: no reliable WriteConflict; set EVENTLOG_MONGODB_URL to a real mongod replica set' : ''}`,
      async () => {
        const conn = await connection();
        // Separate storage objects share no in-process queue: only the server orders them.
        const services = Array.from(
          { length: 4 },
          (_, i) =>
            new EventLogService(
              mongooseStorage(conn, {
                collection: h.collection,
                modelName: `${h.collection}_${i}`,
              }),
              { integrity: {} },
            ),
        );
        const stored = await Promise.all(
          inputs(16).map(
            (input, n) => services[n % 4]?.log(input) as ReturnType<EventLogService['log']>,
          ),
        );
        expect(stored.map((e) => Number(e.seq)).sort((a, b) => a - b)).toEqual(seqs(16));
        expect(await services[0]?.verify()).toMatchObject({
          ok: true,
          partition: null,
          checked: 16,
        });
        for (let i = 0; i < 4; i++) conn.deleteModel(`${h.collection}_${i}`);
        for (let i = 0; i < 4; i++) conn.deleteModel(`${h.collection}_${i}_ChainHead`);
      },
    );
  },
);
