import * as crypto from 'node:crypto';
import { entryFields } from '../entry-fields';
import type { EventLog, NewEventLog } from '../schemas';
import { canonicalJson } from './canonical-json';
import type { ChainedEntry, ChainInput, ChainLinker, ChainPosition } from './port';

/** The `prevHash` of the first entry of a partition: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an entry that its hash covers, in the form they are hashed. */
export interface HashedFields {
  chain: string;
  /** `Date.prototype.toISOString()`: millisecond precision, what every storage returns. */
  timestamp: string;
  actorId: string | null;
  actorLabel: string | null;
  message: string;
  template: string | null;
  values: unknown;
  tool: string;
  action: string;
  objectType: string | null;
  objectId: string | null;
  changes: unknown;
  metadata: unknown;
  eventId: string | null;
  /** Present only when the entry has one, so entries written before batches hash as before. */
  batchId?: string;
}

/**
 * What is hashed of an entry: every stored field except `id` (assigned by the database after
 * hashing), `seq` and `prevHash` (hashed beside it) and `hash` itself; the timestamp as an ISO
 * 8601 string in milliseconds; `batchId` only when set. The payloads are the stored, redacted JSON.
 */
export function hashedFields(entry: (NewEventLog | EventLog) & { chain: string }): HashedFields {
  return {
    chain: entry.chain,
    timestamp: entry.timestamp.toISOString(),
    actorId: entry.actorId,
    actorLabel: entry.actorLabel,
    message: entry.message,
    template: entry.template,
    values: entry.values,
    tool: entry.tool,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId,
    changes: entry.changes,
    metadata: entry.metadata,
    eventId: entry.eventId,
    ...(entry.batchId != null && { batchId: entry.batchId }),
  };
}

/** `crypto.hash` (Node 20.12+) hashes a string without a `Hash` object: several times faster. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;

const sha256Hex: (text: string) => string =
  typeof oneShot === 'function'
    ? (text) => oneShot('sha256', text)
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

const str = JSON.stringify;

const isText = (value: unknown): boolean => value === null || typeof value === 'string';

/**
 * `canonicalJson(hashedFields(entry))`, written field by field in the canonical (sorted) order:
 * the fields are known, so only the JSON payloads go through the generic serializer. An entry
 * whose text fields are not all strings or null, or whose payloads are undefined (which
 * canonical JSON omits), takes the generic path.
 */
export function hashedText(entry: (NewEventLog | EventLog) & { chain: string }): string {
  const e = entry;
  const texts =
    typeof e.action === 'string' &&
    typeof e.chain === 'string' &&
    typeof e.message === 'string' &&
    typeof e.tool === 'string' &&
    isText(e.actorId) &&
    isText(e.actorLabel) &&
    isText(e.template) &&
    isText(e.objectType) &&
    isText(e.objectId) &&
    isText(e.eventId) &&
    (e.batchId == null || typeof e.batchId === 'string');
  if (!texts || e.values === undefined || e.changes === undefined || e.metadata === undefined) {
    return canonicalJson(hashedFields(entry));
  }
  const batch = e.batchId != null ? `,"batchId":${str(e.batchId)}` : '';
  return (
    `{"action":${str(e.action)},"actorId":${str(e.actorId)},"actorLabel":${str(e.actorLabel)}${batch}` +
    `,"chain":${str(e.chain)},"changes":${canonicalJson(e.changes)},"eventId":${str(e.eventId)}` +
    `,"message":${str(e.message)},"metadata":${canonicalJson(e.metadata)}` +
    `,"objectId":${str(e.objectId)},"objectType":${str(e.objectType)},"template":${str(e.template)}` +
    `,"timestamp":${str(e.timestamp.toISOString())},"tool":${str(e.tool)},"values":${canonicalJson(e.values)}}`
  );
}

/**
 * `contentHash = hex(SHA-256(canonicalJson(hashedFields(entry))))`: what an entry's link covers of
 * its content. It depends on the entry alone, so it is computed before the partition is locked.
 */
export function contentHash(entry: (NewEventLog | EventLog) & { chain: string }): string {
  return sha256Hex(hashedText(entry));
}

/**
 * The link of the entry at `seq`: `hash = hex(SHA-256(prevHash ‖ seq ‖ contentHash))`, over UTF-8
 * text: `prevHash` and `contentHash` are 64 lowercase hex digits each and `seq` decimal without
 * sign or padding, so the concatenation is unambiguous. A storage may compute it in the database
 * (PostgreSQL: `encode(sha256(convert_to(prev_hash || seq::text || content_hash, 'UTF8')), 'hex')`).
 */
export function linkHash(prevHash: string, seq: number | string, content: string): string {
  return sha256Hex(prevHash + String(seq) + content);
}

/**
 * The hash eventlog writes for an entry at `seq` after `prevHash`:
 * `linkHash(prevHash, seq, contentHash(entry))`.
 */
export function entryHash(
  prevHash: string,
  seq: number,
  entry: (NewEventLog | EventLog) & { chain: string },
): string {
  return linkHash(prevHash, seq, contentHash(entry));
}

/**
 * The hash of the first link format, which entries written before the content hash carry:
 * `hex(SHA-256(prevHash ‖ seq ‖ canonicalJson(hashedFields(entry))))`. Its text always holds a
 * `{` and the current one never does, so no entry can match one format by way of the other.
 */
export function legacyEntryHash(
  prevHash: string,
  seq: number,
  entry: (NewEventLog | EventLog) & { chain: string },
): string {
  return sha256Hex(prevHash + String(seq) + hashedText(entry));
}

/** True when `hash` is the entry's hash at `seq` after `prevHash`, in either link format. */
export function hashMatches(
  hash: string,
  prevHash: string,
  seq: number,
  entry: (NewEventLog | EventLog) & { chain: string },
): boolean {
  const text = hashedText(entry);
  return (
    linkHash(prevHash, seq, sha256Hex(text)) === hash ||
    sha256Hex(prevHash + String(seq) + text) === hash
  );
}

/**
 * Core's `ChainLinker`: numbers the entries after `head` and chains their hashes from the content
 * hashes computed before the lock.
 */
export const linkEntries: ChainLinker = (
  chain: string,
  head: ChainPosition,
  entries: readonly ChainInput[],
): ChainedEntry[] => {
  let { seq, hash } = head;
  return entries.map((e) => {
    seq += 1;
    const prevHash = hash;
    hash = linkHash(prevHash, seq, e.contentHash);
    const linked = entryFields(e) as ChainedEntry;
    linked.chain = chain;
    linked.seq = seq;
    linked.prevHash = prevHash;
    linked.hash = hash;
    return linked;
  });
};

/** `entry` in partition `chain`, ready to append: its content hashed (outside any lock). */
export function chainInput(e: NewEventLog, chain: string): ChainInput {
  const input = entryFields(e) as ChainInput;
  input.chain = chain;
  input.contentHash = contentHash(input);
  return input;
}
