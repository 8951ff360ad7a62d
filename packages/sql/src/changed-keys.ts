import type { EventLog } from '@eventlog/core';
import { changedKeysOf } from '@eventlog/core/storage';
import type { SqlDialect } from './dialect';
import type { LogStatements } from './queries';
import type { SqlRow } from './row';
import { fromRow } from './row';
import type { SqlSession } from './session';
import type { Statement } from './statement';

/** True when any entry's `changes` name a key: then its insert writes changed-keys rows too. */
export const anyChangedKeys = (entries: readonly Pick<EventLog, 'changes'>[]): boolean =>
  entries.some((e) => changedKeysOf(e.changes).length > 0);

/**
 * Writes the changed-keys rows of `stored` (entries with their ids) through `session`, which
 * must be the transaction that wrote the entries, so both commit or neither does.
 */
export async function writeChangedKeys(
  session: SqlSession,
  log: LogStatements,
  dialect: SqlDialect,
  stored: readonly EventLog[],
  timestampOf: (entry: EventLog) => string = (e) =>
    dialect.encodeTimestamp(e.timestamp, 'timestamp'),
): Promise<void> {
  const rows: [string, string, string][] = [];
  for (const entry of stored) {
    const ts = timestampOf(entry);
    for (const key of changedKeysOf(entry.changes)) rows.push([entry.id, key, ts]);
  }
  for (const statement of changedKeyStatements(log, rows)) await session.execute(statement);
}

/** The statements that insert changed-keys `rows` (`[entry id, key, encoded timestamp]`). */
export function changedKeyStatements(
  log: LogStatements,
  rows: readonly (readonly [string, string, string])[],
): Statement[] {
  const statements: Statement[] = [];
  const step = log.changedKeyRowsPerStatement;
  for (let i = 0; i < rows.length; i += step) {
    statements.push(log.insertChangedKeys(rows.slice(i, i + step)));
  }
  return statements;
}

/**
 * Indexes the changed keys of entries written before the changed-keys table existed (or by a
 * writer that did not fill it), page by page in one transaction per page; returns how many
 * entries it indexed. Idempotent: an entry with rows already is skipped.
 */
export async function backfillChangedKeys(
  session: SqlSession,
  log: LogStatements,
  dialect: SqlDialect,
  pageSize = 1000,
): Promise<number> {
  let after: string | null = null;
  let indexed = 0;
  for (;;) {
    const rows: SqlRow[] = await session.query<SqlRow>(log.unindexed(after, pageSize));
    if (rows.length === 0) return indexed;
    const keyOf = new Map(rows.map((row) => [String(row.id), String(row.ts_key)]));
    const entries = rows.map(fromRow);
    await session.transaction((s) =>
      writeChangedKeys(s, log, dialect, entries, (e) =>
        dialect.bindTimestampKey(keyOf.get(e.id) as string),
      ),
    );
    indexed += entries.length;
    after = String(rows[rows.length - 1]?.id);
  }
}
