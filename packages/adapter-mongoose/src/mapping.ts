import type { Changes, EventLog, JsonObject } from '@eventlog/core';
import { type ChainedEntry, changedKeysOf, type NewEventLog } from '@eventlog/core/storage';
import { Types } from 'mongoose';
import type { EventLogDocument } from './schema';

/**
 * Turns an entry into the document to insert, with a fresh `_id` chosen here; the chain fields
 * are filled in for an entry linked into its chain, null otherwise.
 */
export function toDocument(entry: NewEventLog | ChainedEntry): EventLogDocument {
  const chained = 'hash' in entry && typeof entry.hash === 'string' ? entry : null;
  return {
    _id: new Types.ObjectId(),
    timestamp: entry.timestamp,
    actorId: entry.actorId ?? null,
    actorLabel: entry.actorLabel ?? null,
    message: entry.message,
    template: entry.template ?? null,
    values: toJson(entry.values),
    tool: entry.tool,
    action: entry.action,
    objectType: entry.objectType ?? null,
    objectId: entry.objectId ?? null,
    changes: toJson(entry.changes),
    metadata: toJson(entry.metadata),
    eventId: entry.eventId ?? null,
    chain: chained?.chain ?? null,
    seq: chained?.seq ?? null,
    prevHash: chained?.prevHash ?? null,
    hash: chained?.hash ?? null,
    batchId: entry.batchId ?? null,
    changedKeys: changedKeysOf(entry.changes),
  };
}

/** Turns a stored (lean) document back into an entry; absent fields read as null. */
export function toEventLog(doc: EventLogDocument): EventLog {
  return {
    id: doc._id.toHexString(),
    timestamp: doc.timestamp,
    actorId: doc.actorId ?? null,
    actorLabel: doc.actorLabel ?? null,
    message: doc.message ?? '',
    template: doc.template ?? null,
    values: fromJson<JsonObject>(doc.values),
    tool: doc.tool,
    action: doc.action,
    objectType: doc.objectType ?? null,
    objectId: doc.objectId ?? null,
    changes: fromJson<Changes>(doc.changes),
    metadata: fromJson<JsonObject>(doc.metadata),
    eventId: doc.eventId ?? null,
    chain: doc.chain ?? null,
    seq: doc.seq ?? null,
    prevHash: doc.prevHash ?? null,
    hash: doc.hash ?? null,
    batchId: doc.batchId ?? null,
  };
}

function toJson(value: object | null | undefined): string | null {
  return value == null ? null : JSON.stringify(value);
}

// JSON.parse defines `__proto__` as an own key instead of setting the prototype, so every key
// round-trips as data.
export function fromJson<T>(text: string | null | undefined): T | null {
  return text == null ? null : (JSON.parse(text) as T);
}
