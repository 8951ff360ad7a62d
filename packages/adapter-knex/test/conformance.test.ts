import { createServer } from 'node:net';
import { runStorageConformance } from '@eventlog/conformance';
import knexFactory, { type Knex } from 'knex';
import { createEventLogTable, knexStorage } from '../src/index';
import { type Backend, backends, randomTable, readRaw } from './support';

/** A 127.0.0.1 port nothing listens on: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 1;
}

async function brokenKnex(backend: Backend): Promise<Knex> {
  if (backend.name === 'PostgreSQL') {
    return knexFactory({
      client: 'pg',
      connection: `postgres://postgres@127.0.0.1:${await closedPort()}/postgres`,
      pool: { min: 0, max: 1 },
      // The refused connections are the point; keep knex from printing each one.
      log: { warn() {}, error() {}, debug() {}, deprecate() {} },
    });
  }
  if (backend.name === 'MariaDB') {
    return knexFactory({
      client: 'mysql2',
      connection: `mysql://root@127.0.0.1:${await closedPort()}/eventlog`,
      pool: { min: 0, max: 1 },
      log: { warn() {}, error() {}, debug() {}, deprecate() {} },
    });
  }
  // SQLite has no server to be down: a destroyed pool is the closest real failure.
  const { knex, close } = await backend.open();
  await close();
  return knex;
}

for (const backend of backends) {
  runStorageConformance<Knex.Transaction>({
    name: `knex (${backend.name})`,
    unavailable: backend.unavailable,
    async create() {
      const { knex, close } = await backend.open();
      const table = randomTable();
      await createEventLogTable(knex, { tableName: table });
      return {
        storage: knexStorage(knex, { tableName: table }),
        readRaw: (id) => readRaw(knex, table, id),
        withTransaction: (fn) => knex.transaction(fn),
        async close() {
          await knex.schema.dropTableIfExists(table);
          await close();
        },
      };
    },
    broken: async () => knexStorage(await brokenKnex(backend), { tableName: 'eventlog' }),
  });
}
