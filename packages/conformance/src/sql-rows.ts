/**
 * Test helpers of the SQL adapters (knex, Sequelize): an oracle that maps a raw row with its own
 * code, never an adapter's or core's, so tests check what was really written; and a fixture entry
 * with every field filled and distinct.
 */

import type { EventLog, NewEventLog } from '@eventlog/core';

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
    ...overrides,
  };
}
