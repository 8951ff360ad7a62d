import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFromStdin } from 'pg-copy-streams';
import type { KnexSession } from './session';

/** A pg connection as far as COPY needs it. */
interface PgConnection {
  query(stream: ReturnType<typeof copyFromStdin>): ReturnType<typeof copyFromStdin>;
}

/**
 * `COPY ... FROM STDIN` on the pg connection of `session`, streaming `text` with backpressure.
 * Core opens a transaction around every bulk write, so the connection is that transaction's
 * (knex hands a transaction's own connection to whoever asks its client for one).
 */
export async function pgCopyFrom(
  session: KnexSession,
  sql: string,
  text: Iterable<string>,
): Promise<void> {
  const { client } = session.db;
  const connection = (await client.acquireConnection()) as PgConnection;
  try {
    await pipeline(Readable.from(text), connection.query(copyFromStdin(sql)));
  } finally {
    await client.releaseConnection(connection);
  }
}
