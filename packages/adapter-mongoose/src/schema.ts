import { Schema, type Types } from 'mongoose';

/**
 * One entry as stored in MongoDB. `values`, `changes` and `metadata` are JSON strings: MongoDB
 * and Mongoose give special meaning to keys such as `$set`, `a.b` or `__proto__`, and a log must
 * give back exactly the keys it was handed, whatever they are.
 */
export interface EventLogDocument {
  _id: Types.ObjectId;
  timestamp: Date;
  actorId: string | null;
  actorLabel: string | null;
  message: string;
  template: string | null;
  /** `JSON.stringify` of the resolved template values, or null. */
  values: string | null;
  tool: string;
  action: string;
  objectType: string | null;
  objectId: string | null;
  /** `JSON.stringify` of `{ oldValue, newValue }`, or null. */
  changes: string | null;
  /** `JSON.stringify` of the metadata object, or null. */
  metadata: string | null;
  eventId: string | null;
  /** Hash chain (tamper evidence): the partition, null on entries written with integrity off. */
  chain: string | null;
  /** Position in the chain, gap-free from 1; null when unchained. */
  seq: number | null;
  prevHash: string | null;
  hash: string | null;
  /** The batch of one action; null (or absent, on documents written before batches). */
  batchId: string | null;
  /** The top-level keys `changes` touch (`changedKeysOf`): what `list({ changedKey })` matches. */
  changedKeys: string[];
}

const nullableString = { type: String, default: null };

/**
 * Builds the event log schema for one collection, with the indexes `ensureIndexes()` creates.
 * They mirror the SQL adapters: every list filter is an equality prefix followed by the keyset
 * `(timestamp, _id)`, which MongoDB walks forwards or backwards for either order.
 */
export function createEventLogSchema(collection: string): Schema<EventLogDocument> {
  const schema = new Schema<EventLogDocument>(
    {
      timestamp: { type: Date, required: true },
      actorId: nullableString,
      actorLabel: nullableString,
      // Not `required`: Mongoose rejects '' for required strings, and a rendered message may be empty.
      message: { type: String, default: '' },
      template: nullableString,
      values: nullableString,
      tool: { type: String, required: true },
      action: { type: String, required: true },
      objectType: nullableString,
      objectId: nullableString,
      changes: nullableString,
      metadata: nullableString,
      eventId: nullableString,
      chain: nullableString,
      seq: { type: Number, default: null },
      prevHash: nullableString,
      hash: nullableString,
      batchId: nullableString,
      changedKeys: { type: [String], default: undefined },
    },
    {
      collection,
      versionKey: false,
      id: false,
      // Append-only: unknown fields in a write or a filter are a bug, not something to drop.
      strict: 'throw',
      strictQuery: 'throw',
    },
  );
  schema.index({ objectType: 1, objectId: 1, timestamp: 1, _id: 1 });
  schema.index({ tool: 1, timestamp: 1, _id: 1 });
  schema.index({ actorId: 1, timestamp: 1, _id: 1 });
  schema.index({ timestamp: 1, _id: 1 });
  // Multikey: one index entry per changed key, each followed by the keyset.
  schema.index({ changedKeys: 1, timestamp: 1, _id: 1 });
  // Sparse in effect: only batched entries are indexed.
  schema.index(
    { batchId: 1, timestamp: 1, _id: 1 },
    { partialFilterExpression: { batchId: { $type: 'string' } } },
  );
  // Only string ids are unique: entries without an eventId store null and must not collide.
  schema.index(
    { eventId: 1 },
    { unique: true, partialFilterExpression: { eventId: { $type: 'string' } } },
  );
  // The second guard against a forked chain (the head document is the first), and the index
  // `readChain` walks. Partial: unchained entries all hold null and must not collide.
  schema.index(
    { chain: 1, seq: 1 },
    { unique: true, partialFilterExpression: { chain: { $type: 'string' } } },
  );
  return schema;
}

/**
 * The head of one partition, in the `<collection>_chain_heads` collection (`_id` is the
 * partition name): the last entry (`seq`, `hash`), where verification starts after a purge
 * (`startSeq`, `startHash`), the latest checkpoint, and `lockVersion`, which every append and
 * purge increments first thing in its transaction so that two of them on one partition conflict.
 */
export interface ChainHeadDocument {
  _id: string;
  seq: number;
  hash: string;
  startSeq: number;
  startHash: string;
  checkpointSeq: number | null;
  checkpointHash: string | null;
  checkpointAt: Date | null;
  lockVersion: number;
}

/** The schema of the chain-heads collection. */
export function createChainHeadSchema(collection: string): Schema<ChainHeadDocument> {
  return new Schema<ChainHeadDocument>(
    {
      _id: { type: String, required: true },
      seq: { type: Number, required: true },
      hash: { type: String, required: true },
      startSeq: { type: Number, required: true },
      startHash: { type: String, required: true },
      checkpointSeq: { type: Number, default: null },
      checkpointHash: nullableString,
      checkpointAt: { type: Date, default: null },
      lockVersion: { type: Number, default: 0 },
    },
    { collection, versionKey: false, id: false, strict: 'throw', strictQuery: 'throw' },
  );
}
