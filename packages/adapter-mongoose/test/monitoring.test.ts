import { once } from 'node:events';
import { describeSuite } from '@eventlog/conformance';
import mongoose from 'mongoose';
import { expect, it } from 'vitest';
import { serverLabel, target } from './harness';

// Regression test for a flake of the transaction tests: with the driver's default (streaming)
// monitoring, every jongodb heartbeat failed, Mongoose saw the connection as disconnected and
// `connection.transaction()` waited up to a heartbeat interval for `startSession()`, timing out
// under load. See JONGODB_CLIENT_OPTIONS in @eventlog/test-servers/mongodb.
describeSuite(
  `server monitoring of the test connections (${serverLabel})`,
  { name: 'mongoose', unavailable: target.unavailable },
  () => {
    it('heartbeats succeed and Mongoose never sees the connection as disconnected', async () => {
      const conn = mongoose.createConnection(target.url as string, {
        ...target.clientOptions,
        autoCreate: false,
        autoIndex: false,
        // The shortest interval the driver allows, so a few heartbeats take about a second.
        heartbeatFrequencyMS: 500,
      });
      const failures: string[] = [];
      const disconnects: string[] = [];
      conn.on('disconnected', () => disconnects.push(`readyState ${conn.readyState}`));
      const client = conn.getClient();
      client.on('serverHeartbeatFailed', (event) => failures.push(event.failure.message));
      try {
        await conn.asPromise();
        // Streamed heartbeats failed on the first exchange after the handshake; three polled ones
        // span more than one monitoring cycle.
        for (let beat = 0; beat < 3; beat++) await once(client, 'serverHeartbeatSucceeded');
        expect(failures).toEqual([]);
        expect(disconnects).toEqual([]);
        expect(conn.readyState).toBe(mongoose.ConnectionStates.connected);
        const session = await conn.startSession();
        await session.endSession();
      } finally {
        await conn.close();
      }
    });
  },
);
