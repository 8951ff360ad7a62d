/**
 * Test helpers of the SQL adapters (knex, Sequelize): an oracle that maps a raw row with its own
 * code, never an adapter's or core's, so tests check what was really written; a fixture entry
 * with every field filled and distinct; and the DDL of the `refuseChangedKey` hook.
 */

import type { EventLog } from '@eventlog/core';
import type { NewEventLog } from '@eventlog/core/storage';

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : (v ?? null));

/** The entry of a row read with plain SQL (`SELECT *`), snake_case columns as the driver gives them. */
export function rawRowToEntry(r: Record<string, unknown>): EventLog {
  return {
    id: String(r.id),
    timestamp: r.timestamp instanceof Date ? r.timestamp : new Date(String(r.timestamp)),
    actorId: r.actor_id as string | null,
    actorLabel: r.actor_label as string | null,
    message: r.message as string,
    template: r.template as string | null,
    values: json(r.values),
    tool: r.tool as string,
    action: r.action as string,
    objectType: r.object_type as string | null,
    objectId: r.object_id as string | null,
    changes: json(r.changes),
    metadata: json(r.metadata),
    eventId: r.event_id as string | null,
    batchId: (r.batch_id as string | null | undefined) ?? null,
    chain: (r.chain as string | null | undefined) ?? null,
    seq: r.seq === null || r.seq === undefined ? null : Number(r.seq),
    prevHash: (r.prev_hash as string | null | undefined) ?? null,
    hash: (r.hash as string | null | undefined) ?? null,
  };
}

let counter = 0;

/** A complete entry with distinct values (each one a millisecond after the last); `overrides` win. */
export function filledEntry(overrides: Partial<NewEventLog> = {}): NewEventLog {
  counter += 1;
  return {
    timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, 0, counter)),
    actorId: 'u1',
    actorLabel: 'John Doe',
    message: `Item ${counter} was updated`,
    template: 'Item {item__name} was updated',
    values: { item__name: `${counter}` },
    tool: 'items',
    action: 'update',
    objectType: 'Item',
    objectId: String(counter),
    changes: { oldValue: { name: 'a' }, newValue: { name: 'b' } },
    metadata: { ip: '127.0.0.1' },
    eventId: null,
    batchId: null,
    ...overrides,
  };
}

/** The SQL dialects the adapters' tests run: how each stores a timestamp. */
export type SqlKind = 'sqlite' | 'postgres' | 'mysql';

/**
 * An ISO-8601 timestamp literal as a client writes it into the `timestamp` column: SQLite keeps
 * the text, PostgreSQL parses it into `timestamptz`, MySQL/MariaDB `DATETIME` takes no zone, so
 * the (UTC) offset is dropped there.
 */
export function timestampLiteral(text: string, kind: SqlKind): string {
  if (kind !== 'mysql') return text;
  return text.replace('T', ' ').replace(/(Z|[+-]00:00)$/, '');
}

/** The row of an entry, written by the tamper hooks with plain SQL, chain columns as given. */
export function entryToRawRow(entry: Omit<EventLog, 'id'>, kind: SqlKind): Record<string, unknown> {
  const text = (v: unknown) => (v === null ? null : JSON.stringify(v));
  // Eventlog writes milliseconds padded to microseconds.
  const ts = `${entry.timestamp.toISOString().slice(0, 23)}000Z`;
  return {
    timestamp: timestampLiteral(ts, kind),
    actor_id: entry.actorId,
    actor_label: entry.actorLabel,
    message: entry.message,
    template: entry.template,
    values: text(entry.values),
    tool: entry.tool,
    action: entry.action,
    object_type: entry.objectType,
    object_id: entry.objectId,
    changes: text(entry.changes),
    metadata: text(entry.metadata),
    event_id: entry.eventId,
    chain: entry.chain,
    seq: entry.seq,
    prev_hash: entry.prevHash,
    hash: entry.hash,
  };
}

/**
 * The column of an `EventLog` field in the SQL layout (`actorId` → `actor_id`), spelled out here
 * rather than taken from the adapters, so the tamper hooks write where the layout says, not where
 * the code under test thinks.
 */
export function columnOf(field: keyof EventLog): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The dialects the SQL adapters test on. */
export type RefusingDialect = 'sqlite' | 'postgres' | 'mysql';

/**
 * The statement that makes `changedKeysTable` refuse every row whose key is `key` (a SQLite
 * trigger raising, a CHECK constraint elsewhere). Both names are written into the SQL, so only
 * letters, digits and `_` are taken.
 */
export function refuseChangedKeySql(
  dialect: RefusingDialect,
  changedKeysTable: string,
  key: string,
): string {
  for (const name of [changedKeysTable, key]) {
    if (!/^\w+$/.test(name)) throw new RangeError(`not a plain name: ${name}`);
  }
  const q = (name: string) => (dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);
  const rule = q(`refuse_${key}`);
  if (dialect === 'sqlite') {
    return `CREATE TRIGGER ${rule} BEFORE INSERT ON ${q(changedKeysTable)} WHEN NEW.changed_key = '${key}' BEGIN SELECT RAISE(ABORT, 'changed key refused'); END`;
  }
  return `ALTER TABLE ${q(changedKeysTable)} ADD CONSTRAINT ${rule} CHECK (changed_key <> '${key}')`;
}
