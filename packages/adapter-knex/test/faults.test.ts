import { connect, createServer, type Server, type Socket } from 'node:net';
import { describeSuite } from '@eventlog/conformance';
import { EventLogService, StorageError } from '@eventlog/core';
import knexFactory, { type Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { createEventLogTable, knexStorage } from '../src/index';
import { backends, postgres, randomTable } from './support';

// Faults reach the caller as errors and leave nothing half-written.

const input = { template: 'Item created', tool: 'items', action: 'create' };
// The failures below are provoked on purpose; knex would print each one.
const quiet = { warn() {}, error() {}, debug() {}, deprecate() {} };

async function setUp(knex: Knex) {
  const table = randomTable();
  const items = `items_${table}`;
  await createEventLogTable(knex, { tableName: table });
  await knex.schema.createTable(items, (t) => {
    t.increments('id');
    t.string('name');
  });
  const count = async (t: string) => Number((await knex(t).count({ n: '*' }))[0]?.n);
  return {
    table,
    items,
    service: new EventLogService(knexStorage(knex, { tableName: table })),
    counts: async () => ({ items: await count(items), logs: await count(table) }),
    drop: async () => {
      await knex.schema.dropTableIfExists(items);
      await knex.schema.dropTableIfExists(table);
    },
  };
}

describe('a pool of one connection, held by the open transaction', () => {
  for (const backend of backends) {
    describeSuite(backend.name, { name: backend.name, unavailable: backend.unavailable }, () => {
      it('log() without the transaction fails with a clear timeout, not a hang', async () => {
        const { knex: setup, close } = await backend.open();
        const config = setup.client.config as Knex.Config;
        // min 1 keeps a SQLite :memory: database alive between queries. The timeout also bounds
        // opening the pool's one connection during set-up, which takes seconds on a loaded host.
        const knex = knexFactory({
          ...config,
          pool: { min: 1, max: 1 },
          acquireConnectionTimeout: 3_000,
          log: quiet,
        });
        const db = await setUp(knex);
        try {
          const error = await knex
            .transaction(async (trx) => {
              await trx(db.items).insert({ name: 'Pen' });
              await db.service.log(input); // forgot { transaction: trx }
            })
            .catch((e: unknown) => e);
          expect(error).toBeInstanceOf(StorageError);
          expect((error as StorageError).message).toMatch(/Timeout acquiring a connection/);
          expect(await db.counts()).toEqual({ items: 0, logs: 0 });
        } finally {
          await db.drop();
          await knex.destroy();
          await close();
        }
      });
    });
  }
});

/** A TCP proxy to PostgreSQL that can be taken down and brought back on the same port. */
async function proxy(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const up = async () => {
    server = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address !== null ? address.port : port;
  };
  const down = async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server?.close(resolve));
  };
  await up();
  return { port: () => port, up, down };
}

describeSuite(
  `the database goes down and comes back`,
  { name: postgres.name, unavailable: postgres.unavailable },
  () => {
    it('log() gives a StorageError with the cause, then works again', async () => {
      const url = new URL(process.env.EVENTLOG_PG_URL as string);
      const tcp = await proxy(url);
      const through = new URL(url);
      through.port = String(tcp.port());
      const knex = knexFactory({
        client: 'pg',
        connection: through.toString(),
        pool: { min: 0, max: 2 },
        acquireConnectionTimeout: 5000,
        log: quiet,
      });
      const db = await setUp(knex);
      try {
        await db.service.log(input);
        await tcp.down();
        const error = await db.service.log(input).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StorageError);
        expect((error as StorageError).adapter).toBe('knex');
        expect((error as StorageError).cause).toBeInstanceOf(Error);
        await tcp.up();
        const back = await db.service.log(input);
        expect(await db.service.get(back.id)).toEqual(back);
        expect((await db.counts()).logs).toBe(2);
      } finally {
        await db.drop();
        await knex.destroy();
        await tcp.down();
      }
    });
  },
);

// "The database goes down" has no SQLite counterpart: an embedded database has no server to lose.
