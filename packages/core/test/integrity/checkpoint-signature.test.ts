import { generateKeyPairSync } from 'node:crypto';
import { EventLogService, memoryStorage, ValidationError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  checkpointPayload,
  checkpointSignatureValid,
} from '../../src/integrity/checkpoint';

// The signed checkpoint format, pinned by checkpoints signed once and committed here: signing and
// verifying share the payload code, so only a signature made outside it tells a change of the
// format apart (a checkpoint kept in a file must keep verifying after an upgrade).

/** The public half of the Ed25519 key the fixtures were signed with (the private half is not kept). */
const PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEA9Rw2mD3e/XoqCWNX9hkVI72BPbdKa7TYKbElAquNcCg=
-----END PUBLIC KEY-----`;

const a = 'a'.repeat(64);
const b = 'b'.repeat(64);
const at = new Date('2024-01-01T00:00:00.000Z');

/** A checkpoint with a start (the current format). */
const V2: Checkpoint = {
  partition: 'default',
  seq: 5,
  hash: a,
  start: { seq: 2, hash: b },
  at,
  signature:
    'ur7zwICzgPfMEtoPT7WyjrNqNbPWM8/KVNAsysm1/0irhd/xm05W9PLVyV+pAMr0/6OC65xQEOPfaq7GSBHHAg==',
};

/** A checkpoint taken before starts were recorded (the first format). */
const V1: Checkpoint = {
  partition: 'default',
  seq: 5,
  hash: a,
  at,
  signature:
    'VhkzrszYrUNlLiXjiclvnf4PUiQQ2WAhQRLTVeqqVTDfzvHIx5Zc5vCjvCZABeIj7ophxESzbc3l7/IyT3ZZBg==',
};

describe('checkpoint signatures: the committed format', () => {
  it('signs the canonical JSON of both formats, each with its type', () => {
    expect(checkpointPayload(V2).toString()).toBe(
      `{"at":"2024-01-01T00:00:00.000Z","hash":"${a}","partition":"default","seq":5,"start":{"hash":"${b}","seq":2},"type":"eventlog.checkpoint.v2"}`,
    );
    expect(checkpointPayload(V1).toString()).toBe(
      `{"at":"2024-01-01T00:00:00.000Z","hash":"${a}","partition":"default","seq":5,"type":"eventlog.checkpoint.v1"}`,
    );
  });

  it('accepts checkpoints signed by an earlier build, in either format', () => {
    expect(checkpointSignatureValid(V2, PUBLIC_KEY)).toBe(true);
    expect(checkpointSignatureValid(V1, PUBLIC_KEY)).toBe(true);
  });

  it('refuses a signed checkpoint with its start removed or changed', () => {
    const { start: _start, ...withoutStart } = V2;
    expect(checkpointSignatureValid(withoutStart, PUBLIC_KEY)).toBe(false);
    expect(checkpointSignatureValid({ ...V2, start: { seq: 1, hash: b } }, PUBLIC_KEY)).toBe(false);
    expect(checkpointSignatureValid({ ...V1, seq: 6 }, PUBLIC_KEY)).toBe(false);
  });

  it('answers false, not an exception, for a missing or malformed signature or a wrong key', () => {
    const { signature: _signature, ...unsigned } = V2;
    expect(checkpointSignatureValid(unsigned, PUBLIC_KEY)).toBe(false);
    expect(checkpointSignatureValid({ ...V2, signature: 'not base64 at all!' }, PUBLIC_KEY)).toBe(
      false,
    );
    expect(checkpointSignatureValid({ ...V2, signature: 'AAAA' }, PUBLIC_KEY)).toBe(false);
    expect(checkpointSignatureValid(V2, 'not a key')).toBe(false);
  });
});

describe('verify: a checkpoint and a public key', () => {
  const logged = async () => {
    const service = new EventLogService(memoryStorage(), { integrity: {} });
    await service.log({ template: 'One', tool: 'items', action: 'update' });
    return service;
  };

  it('refuses an unsigned checkpoint when a public key is given, before reading the chain', async () => {
    const service = await logged();
    const checkpoint = await service.checkpoint();
    expect(checkpoint.signature).toBeUndefined();
    expect(await service.verify({ checkpoint })).toMatchObject({ ok: true, checked: 1 });
    expect(await service.verify({ checkpoint, publicKey: PUBLIC_KEY })).toEqual({
      ok: false,
      partition: 'default',
      checked: 0,
      firstBroken: {
        partition: 'default',
        seq: 1,
        reason: 'the checkpoint signature is missing or invalid',
      },
      partitions: [
        {
          partition: 'default',
          ok: false,
          checked: 0,
          firstBroken: { seq: 1, reason: 'the checkpoint signature is missing or invalid' },
        },
      ],
    });
  });

  it('refuses a checkpoint whose signature is malformed', async () => {
    const service = await logged();
    const checkpoint = { ...(await service.checkpoint()), signature: '%%%' };
    expect(await service.verify({ checkpoint, publicKey: PUBLIC_KEY })).toMatchObject({
      ok: false,
      checked: 0,
      firstBroken: { seq: 1, reason: 'the checkpoint signature is missing or invalid' },
    });
  });

  it('refuses a private key that is not an Ed25519 private key, and records no checkpoint', async () => {
    const service = await logged();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const pair = generateKeyPairSync('ed25519');
    for (const privateKey of ['not a key', PUBLIC_KEY, pair.publicKey, rsa, 42]) {
      const call = service.checkpoint({ privateKey: privateKey as string });
      await expect(call).rejects.toBeInstanceOf(ValidationError);
      await expect(call).rejects.toMatchObject({
        message: 'privateKey: must be an Ed25519 private key (a KeyObject or PEM text)',
        issues: [{ path: ['privateKey'] }],
      });
    }
    // Nothing was recorded: a checkpoint refused is no later one that would make others stale.
    expect((await service.integrityStatus()).partitions[0]?.checkpoint).toBeNull();
    const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    for (const privateKey of [pair.privateKey, pem]) {
      const checkpoint = await service.checkpoint({ privateKey });
      expect(checkpointSignatureValid(checkpoint, pair.publicKey)).toBe(true);
      expect(await service.verify({ checkpoint, publicKey: pair.publicKey })).toMatchObject({
        ok: true,
      });
    }
  });
});
