/** Runs one bench section on a SQLite file, then on a throwaway PostgreSQL (counts, search). */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '@eventlog/test-servers/postgres';
import knexFactory, { type Knex } from 'knex';

/** One database a section runs on. */
export interface Backend {
  /** The heading of its part: `SQLite file (better-sqlite3)` or `PostgreSQL`. */
  name: string;
  knex: Knex;
  postgres: boolean;
}

/**
 * Runs `section` on a SQLite file in a temp dir, then on a throwaway PostgreSQL cluster (or
 * EVENTLOG_PG_URL), and returns the Markdown parts in that order. Each knex instance is destroyed
 * and the SQLite file removed once its part is written. When PostgreSQL cannot start, its part
 * says why. `options.sqlite` / `options.postgres`, when given, replace that backend's run with the
 * part they return (a run of the other backend only).
 */
export async function onSqliteThenPostgres(
  section: (backend: Backend) => Promise<string>,
  options: { sqlite?: () => Promise<string>; postgres?: () => Promise<string> } = {},
): Promise<string[]> {
  const out: string[] = [];
  const run = async (backend: Backend) => {
    try {
      out.push(await section(backend));
    } finally {
      await backend.knex.destroy();
    }
  };
  if (options.sqlite) out.push(await options.sqlite());
  else {
    const dir = await mkdtemp(join(tmpdir(), 'eventlog-bench-'));
    try {
      const knex = knexFactory({
        client: 'better-sqlite3',
        connection: { filename: join(dir, 'bench.db') },
        useNullAsDefault: true,
      });
      await run({ name: 'SQLite file (better-sqlite3)', knex, postgres: false });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  if (options.postgres) {
    out.push(await options.postgres());
    return out;
  }
  const server = await startPostgres().catch((e: Error) => {
    out.push(`### PostgreSQL\n\nnot run: ${e.message}`);
    return undefined;
  });
  if (server) {
    try {
      const knex = knexFactory({ client: 'pg', connection: server.url, pool: { min: 1, max: 4 } });
      await run({ name: 'PostgreSQL', knex, postgres: true });
    } finally {
      await server.stop();
    }
  }
  return out;
}
