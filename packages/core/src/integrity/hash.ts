import { createHash } from 'node:crypto';
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

/**
 * `hash = hex(SHA-256(prevHash ‖ seq ‖ canonicalJson(hashedFields(entry))))`, concatenated as
 * UTF-8 text: `prevHash` is 64 lowercase hex digits, `seq` decimal without sign or padding, and
 * the canonical JSON (RFC 8785) starts with `{`, so the concatenation is unambiguous.
 */
export function entryHash(
  prevHash: string,
  seq: number,
  entry: (NewEventLog | EventLog) & { chain: string },
): string {
  return createHash('sha256')
    .update(prevHash)
    .update(String(seq))
    .update(canonicalJson(hashedFields(entry)))
    .digest('hex');
}

/** Core's `ChainLinker`: numbers the entries after `head` and chains their hashes. */
export const linkEntries: ChainLinker = (
  chain: string,
  head: ChainPosition,
  entries: readonly ChainInput[],
): ChainedEntry[] => {
  let { seq, hash } = head;
  return entries.map((entry) => {
    seq += 1;
    const linked: ChainedEntry = { ...entry, chain, seq, prevHash: hash, hash: '' };
    linked.hash = entryHash(hash, seq, linked);
    hash = linked.hash;
    return linked;
  });
};
