import { createEventLogTable } from '@eventlog/adapter-knex';
import { createApp } from './app';
import { createDemoTables, DEFAULT_DB_FILE, openDatabase } from './db';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

const db = openDatabase();
await createEventLogTable(db);
await createDemoTables(db);
const demo = createApp(db);
const seeded = await demo.seedIfEmpty();

const server = demo.app.listen(port, host, () => {
  const base = `http://${host}:${port}`;
  const where = process.env.DATABASE_URL
    ? 'PostgreSQL (DATABASE_URL)'
    : (process.env.DEMO_DB_FILE ?? DEFAULT_DB_FILE);
  console.log(`eventlog demo on ${where}${seeded ? ` (seeded ${seeded} sample events)` : ''}`);
  console.log(`  sign in     ${base}/`);
  console.log(`  viewer      ${base}/audit/`);
  console.log(
    `  list API    ${base}/api/eventlogs?tool=example_feature   (staff: x-demo-user: alice)`,
  );
  console.log(
    `  object log  ${base}/api/items/1/log                      (any user: x-demo-user: bob)`,
  );
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    void db.destroy().then(() => process.exit(0));
  });
}
