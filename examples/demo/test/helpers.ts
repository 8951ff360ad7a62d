import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventLogTable } from '@eventlog/adapter-knex';
import { createApp } from '../src/app';
import { createDemoTables, openDatabase } from '../src/db';

/** A demo app on its own fresh SQLite file, as `npm start` builds it. */
export async function startDemo() {
  const dir = mkdtempSync(join(tmpdir(), 'eventlog-demo-'));
  const db = openDatabase({ DEMO_DB_FILE: join(dir, 'demo.db') });
  await createEventLogTable(db);
  await createDemoTables(db);
  const demo = createApp(db);
  return {
    ...demo,
    db,
    async close() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
