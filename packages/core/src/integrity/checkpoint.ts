import { createPrivateKey, KeyObject, sign, verify } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '../errors';
import { parseOrThrow } from '../validate';
import { canonicalJson } from './canonical-json';
import type { ChainPosition } from './port';

/**
 * A statement that partition `partition` reached entry `seq` with hash `hash` at time `at`,
 * optionally signed. Keep it outside the database (a file, another system, a transparency log):
 * a later `verify({ checkpoint })` then detects a deleted tail even when the head row was
 * rewritten too.
 */
export interface Checkpoint {
  partition: string;
  /** The last entry's seq when it was taken (0 for an empty partition). */
  seq: number;
  /** That entry's hash (`GENESIS_HASH` for an empty partition). */
  hash: string;
  /**
   * The partition's start (where retention had cut it) when the checkpoint was taken; signed with
   * the rest. `verify` then refuses a start that moved backwards or was rewritten in place.
   * Absent from checkpoints of earlier versions, which still parse and verify (without that check).
   */
  start?: ChainPosition;
  at: Date;
  /** Ed25519 signature (base64) of `checkpointPayload(this)`, when a private key was given. */
  signature?: string;
}

/** A checkpoint as parsed from JSON (`at` as an ISO string) or given as an object. */
export const checkpointSchema = z
  .object({
    partition: z.string().min(1).max(255),
    seq: z.number().int().min(0),
    hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
    start: z
      .object({
        seq: z.number().int().min(0),
        hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
      })
      .strict()
      .optional(),
    at: z.coerce.date(),
    signature: z.string().min(1).optional(),
  })
  .strict();

/** Validates a checkpoint coming from outside (a JSON file); throws `ValidationError`. */
export function parseCheckpoint(input: unknown): Checkpoint {
  return parseOrThrow(checkpointSchema, input, 'checkpoint');
}

/**
 * The bytes that are signed: the canonical JSON of
 * `{ type: "eventlog.checkpoint.v2", partition, seq, hash, start: { seq, hash }, at (ISO string) }`,
 * or, for a checkpoint without `start` (taken by an earlier version),
 * `{ type: "eventlog.checkpoint.v1", partition, seq, hash, at }`. The type differs, so removing
 * `start` from a signed checkpoint invalidates its signature.
 */
export function checkpointPayload(checkpoint: Omit<Checkpoint, 'signature'>): Buffer {
  const { partition, seq, hash, start } = checkpoint;
  const at = checkpoint.at.toISOString();
  return Buffer.from(
    canonicalJson(
      start === undefined
        ? { type: 'eventlog.checkpoint.v1', partition, seq, hash, at }
        : {
            type: 'eventlog.checkpoint.v2',
            partition,
            seq,
            hash,
            start: { seq: start.seq, hash: start.hash },
            at,
          },
    ),
  );
}

/** A private or public key as `node:crypto` takes it: a `KeyObject` or PEM text. */
export type KeyInput = KeyObject | string;

/**
 * Signs the checkpoint with an Ed25519 private key; returns the base64 signature.
 *
 * @throws ValidationError on `privateKey` when `key` is not an Ed25519 private key.
 */
export function signCheckpoint(checkpoint: Omit<Checkpoint, 'signature'>, key: KeyInput): string {
  return sign(null, checkpointPayload(checkpoint), ed25519PrivateKey(key)).toString('base64');
}

function ed25519PrivateKey(key: unknown): KeyObject {
  let parsed: KeyObject | undefined;
  try {
    parsed = key instanceof KeyObject ? key : createPrivateKey(key as string);
  } catch {
    // Not a private key at all (other text, a public key's PEM, a number): refused below.
  }
  if (parsed?.type !== 'private' || parsed.asymmetricKeyType !== 'ed25519') {
    throw ValidationError.field(
      'privateKey',
      'must be an Ed25519 private key (a KeyObject or PEM text)',
    );
  }
  return parsed;
}

/** True when `checkpoint.signature` is a valid Ed25519 signature by `publicKey`'s pair. */
export function checkpointSignatureValid(checkpoint: Checkpoint, publicKey: KeyInput): boolean {
  if (checkpoint.signature === undefined) return false;
  try {
    return verify(
      null,
      checkpointPayload(checkpoint),
      publicKey,
      Buffer.from(checkpoint.signature, 'base64'),
    );
  } catch {
    // A key of another type or a malformed signature is simply not a valid signature.
    return false;
  }
}
