/**
 * A writer process for the multi-process tests (concurrent writers, SIGKILL), run with
 * `tsx --conditions=@eventlog/source writer.ts`. Environment:
 * - `WRITER_DB`: `sqlite:<file>`, a `postgres://` or a `mysql://` URL; `WRITER_TABLE`: the event log table;
 * - `WRITER_NAME`: a prefix of every eventId; `WRITER_COUNT`: concurrent writers (async loops);
 * - `WRITER_EACH`: entries per writer, or `0` to write until killed.
 *
 * Each writer calls `log()` with a fresh eventId and prints `ack <eventId> <id>` on stdout only
 * after `log()` resolved (stdout is a pipe, written synchronously on Linux), and
 * `fail <eventId> <message>` when it rejected. The parent checks the table against the acks.
 */
import { EventLogService } from '@eventlog/core';
import knexFactory, { type Knex } from 'knex';
import { knexStorage } from '../../src/index';

const db = process.env.WRITER_DB ?? '';
const table = process.env.WRITER_TABLE ?? 'eventlog';
const name = process.env.WRITER_NAME ?? 'w';
const writers = Number(process.env.WRITER_COUNT ?? '16');
const each = Number(process.env.WRITER_EACH ?? '0');

function open(): Knex {
  if (db.startsWith('sqlite:')) {
    return knexFactory({
      client: 'better-sqlite3',
      connection: { filename: db.slice('sqlite:'.length) },
      useNullAsDefault: true,
      pool: {
        // Another process holds the write lock now and then: wait for it instead of failing.
        afterCreate(conn: { pragma(sql: string): unknown }, done: (err: Error | null) => void) {
          conn.pragma('busy_timeout = 20000');
          done(null);
        },
      },
    });
  }
  if (db.startsWith('mysql:')) {
    return knexFactory({ client: 'mysql2', connection: db, pool: { min: 0, max: 4 } });
  }
  return knexFactory({ client: 'pg', connection: db, pool: { min: 0, max: 4 } });
}

const knex = open();
const service = new EventLogService(knexStorage(knex, { tableName: table }));

async function writer(w: number): Promise<void> {
  for (let i = 0; each === 0 || i < each; i++) {
    const eventId = `${name}-${w}-${i}`;
    try {
      const entry = await service.log({
        template: 'Item {item__name} written by writer {w}',
        values: { item__name: { name: eventId }, w: `${name}-${w}` },
        tool: 'load',
        action: 'create',
        object: { type: 'Item', id: eventId },
        eventId,
      });
      process.stdout.write(`ack ${eventId} ${entry.id}\n`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      process.stdout.write(`fail ${eventId} ${message.replaceAll('\n', ' ')}\n`);
    }
  }
}

await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
await knex.destroy();
