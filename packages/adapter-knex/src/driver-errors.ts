import { EventLogError } from '@eventlog/core';

/** A driver error as knex hands it over: mysql2 adds the server's own message and the SQL. */
interface DriverError extends Error {
  sql?: string;
  sqlMessage?: string;
}

/**
 * Gives a failed statement's error its driver message back. knex writes the whole statement with
 * every bound value in front of it (`<sql> - <message>`: megabytes for a large batch), and
 * `StorageError` repeats that message; the statement moves to the error's `sql` property (where
 * mysql2 puts it too), so it stays on `StorageError.cause` and out of the message. Errors of
 * eventlog itself pass unchanged.
 */
export function withDriverMessage(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof EventLogError) return error;
  const e = error as DriverError;
  const cut = e.message.lastIndexOf(' - ');
  if (cut < 0) return error;
  e.sql ??= e.message.slice(0, cut);
  // mysql2's server message is whole even when it holds " - " itself.
  e.message = e.sqlMessage ?? e.message.slice(cut + 3);
  return error;
}

const rethrow = (error: unknown): never => {
  throw withDriverMessage(error);
};

/** `storage` with every method's failures passed through `withDriverMessage` (its methods are async). */
export function withDriverMessages<T extends object>(storage: T): T {
  const out = { ...storage } as Record<string, unknown>;
  for (const [key, value] of Object.entries(storage)) {
    if (typeof value !== 'function') continue;
    const method = value as (...args: unknown[]) => Promise<unknown>;
    out[key] = (...args: unknown[]) => method.apply(storage, args).catch(rethrow);
  }
  return out as T;
}
