import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mariadbUrl } from '@eventlog/test-servers/mariadb';
import { postgresUrl } from '@eventlog/test-servers/postgres';
import knexFactory, { type Knex } from 'knex';
import { createEventLogTable } from '../src/index';
import { type Backend, mariadb, postgres, randomTable } from './support';

/** One database shared by several writer processes, set up by the parent test. */
export interface SharedDatabase {
  name: string;
  unavailable: string | undefined;
  /** Creates a fresh table; `db` is what writer.ts takes as `WRITER_DB`. */
  open(): Promise<{ knex: Knex; db: string; table: string; close(): Promise<void> }>;
}

/** A SQLite file in a fresh temp dir, reached by every process through its path. */
export const sharedSqliteFile: SharedDatabase = {
  name: 'SQLite file',
  unavailable: undefined,
  async open() {
    const dir = await mkdtemp(join(tmpdir(), 'eventlog-mp-'));
    const filename = join(dir, 'shared.db');
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
    });
    const table = randomTable();
    await createEventLogTable(knex, { tableName: table });
    return {
      knex,
      db: `sqlite:${filename}`,
      table,
      async close() {
        await knex.destroy();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

/** A database server of the run (`backend`), on a random table; writers connect to `url`. */
function sharedServer(backend: Backend, url: () => string): SharedDatabase {
  return {
    name: backend.name,
    unavailable: backend.unavailable,
    async open() {
      const { knex, close } = await backend.open();
      const table = randomTable();
      await createEventLogTable(knex, { tableName: table });
      return {
        knex,
        db: url(),
        table,
        async close() {
          await knex.schema.dropTableIfExists(table);
          await close();
        },
      };
    },
  };
}

/** The run's PostgreSQL cluster, on a random table. */
export const sharedPostgres = sharedServer(postgres, postgresUrl);

/** The run's MariaDB server, on a random table. */
export const sharedMariadb = sharedServer(mariadb, mariadbUrl);

export const sharedDatabases = [sharedSqliteFile, sharedPostgres, sharedMariadb];
