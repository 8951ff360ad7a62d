import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import knex, { type Knex } from 'knex';

const here = dirname(fileURLToPath(import.meta.url));
/** Default SQLite file, created on first run (override with `DEMO_DB_FILE`). */
export const DEFAULT_DB_FILE = resolve(here, '..', 'data', 'demo.db');

/** `DATABASE_URL=postgres://...` switches to PostgreSQL; otherwise an embedded SQLite file. */
export function openDatabase(
  env: { DATABASE_URL?: string; DEMO_DB_FILE?: string } = process.env,
): Knex {
  if (env.DATABASE_URL?.startsWith('postgres')) {
    return knex({ client: 'pg', connection: env.DATABASE_URL, pool: { min: 0, max: 10 } });
  }
  const filename = env.DEMO_DB_FILE ?? DEFAULT_DB_FILE;
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  return knex({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    // WAL: readers never wait for the writer, and each commit costs one fsync less.
    pool: {
      afterCreate: (conn: { pragma(sql: string): unknown }, done: (err: Error | null) => void) => {
        conn.pragma('journal_mode = WAL');
        done(null);
      },
    },
  });
}

/** The demo's business tables. Idempotent. */
export async function createDemoTables(db: Knex): Promise<void> {
  if (!(await db.schema.hasTable('items'))) {
    await db.schema.createTable('items', (t) => {
      t.increments('id');
      t.string('name').notNullable();
      t.string('status').notNullable().defaultTo('active');
      t.integer('quantity').notNullable().defaultTo(0);
      t.string('owner_id').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable();
    });
  }
  if (!(await db.schema.hasTable('teams'))) {
    await db.schema.createTable('teams', (t) => {
      t.increments('id');
      t.string('name').notNullable();
      t.string('lead_id').notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable();
    });
  }
}
