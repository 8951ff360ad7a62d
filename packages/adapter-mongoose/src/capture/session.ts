import { CaptureError } from '@eventlog/core';
import type { ClientSession, Connection } from 'mongoose';
import { ambientSession } from '../chain';

/**
 * The transaction a captured write runs in: the session the caller gave (`{ session }`,
 * `.session(s)`, `doc.$session(s)`), else the one of Mongoose's `transactionAsyncLocalStorage`
 * transaction around the call. A session given as `null` opts out of the ambient one, as it does
 * for Mongoose itself.
 *
 * @throws CaptureError (reason `'no-transaction'`) when that session has no open transaction:
 * the write is refused before anything is sent, so no business write can lose its entry.
 */
export function requireTransaction(
  connection: Connection,
  what: string,
  given: { session?: ClientSession | null } | undefined | null,
): ClientSession {
  const explicit = given != null && Object.hasOwn(given, 'session');
  const session = explicit ? given.session : ambientSession(connection);
  if (!session?.inTransaction()) {
    throw new CaptureError(
      'no-transaction',
      `${what} on a captured model must run in a transaction: call it inside connection.transaction() / session.withTransaction() and pass { session } (or turn on Mongoose's transactionAsyncLocalStorage)`,
    );
  }
  return session;
}
