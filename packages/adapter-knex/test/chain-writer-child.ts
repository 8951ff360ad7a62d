/**
 * Child process of chain-writers.test.ts: appends `count` entries to one chain with that many
 * concurrent `log()` calls, then prints the seqs it got as JSON. Run with tsx and the
 * `@eventlog/source` condition.
 */
import { EventLogService } from '@eventlog/core';
import knexFactory from 'knex';
import { knexStorage } from '../src/index';

const [client, connection, table, countText, tag] = process.argv.slice(2);
const knex =
  client === 'sqlite'
    ? knexFactory({
        client: 'better-sqlite3',
        connection: { filename: String(connection) },
        useNullAsDefault: true,
        pool: {
          // Another process holds the write lock for a moment at a time: wait for it.
          afterCreate: (db: { pragma(s: string): unknown }, done: (e: Error | null) => void) => {
            db.pragma('busy_timeout = 30000');
            done(null);
          },
        },
      })
    : knexFactory({
        client: client === 'mysql' ? 'mysql2' : 'pg',
        connection: String(connection),
        pool: { min: 0, max: 8 },
      });

const service = new EventLogService(knexStorage(knex, { tableName: String(table) }), {
  integrity: {},
});
try {
  const count = Number(countText);
  const stored = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      service.log({ template: `writer ${tag} #${i}`, tool: 'concurrency', action: 'write' }),
    ),
  );
  process.stdout.write(JSON.stringify(stored.map((e) => e.seq)));
} finally {
  await knex.destroy();
}
