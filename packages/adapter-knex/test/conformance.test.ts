import { runStorageConformance } from '@eventlog/conformance';
// A port free now, so nothing listens there: connections are refused at once.
import { freePort } from '@eventlog/test-servers/server-process';
import knexFactory, { type Knex } from 'knex';
import { knexStorage } from '../src/index';
import { type Backend, backends, openHarness, postgresPartitioned } from './support';

async function brokenKnex(backend: Backend): Promise<Knex> {
  if (backend.name.startsWith('PostgreSQL')) {
    return knexFactory({
      client: 'pg',
      connection: `postgres://postgres@127.0.0.1:${await freePort()}/postgres`,
      pool: { min: 0, max: 1 },
      // The refused connections are the point; keep knex from printing each one.
      log: { warn() {}, error() {}, debug() {}, deprecate() {} },
    });
  }
  if (backend.name === 'MariaDB') {
    return knexFactory({
      client: 'mysql2',
      connection: `mysql://root@127.0.0.1:${await freePort()}/eventlog`,
      pool: { min: 0, max: 1 },
      log: { warn() {}, error() {}, debug() {}, deprecate() {} },
    });
  }
  // SQLite has no server to be down: a destroyed pool is the closest real failure.
  const { knex, close } = await backend.open();
  await close();
  return knex;
}

for (const backend of [...backends, postgresPartitioned]) {
  runStorageConformance<Knex.Transaction>({
    name: `knex (${backend.name})`,
    unavailable: backend.unavailable,
    capabilities: { transactions: true, eventIdLookup: true, integrity: true },
    create: () => openHarness(backend),
    broken: async () => knexStorage(await brokenKnex(backend), { tableName: 'eventlog' }),
  });
}
