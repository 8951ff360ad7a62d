import { createHash } from 'node:crypto';
import { EventLogService, memoryStorage } from '@eventlog/core';
import { contentHash, entryHash, GENESIS_HASH, linkHash } from '@eventlog/core/storage';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/integrity/canonical-json';
import {
  chainInput,
  hashedFields,
  hashedText,
  legacyEntryHash,
  linkEntries,
} from '../../src/integrity/hash';

// The hashed text and the links, pinned to the bytes of their definition: writer and verifier
// share these functions, so a change to them would keep every chain "valid" while breaking every
// chain written before it. Only a known answer tells.
//
// Mutants of hash.ts that survive, and why no test can tell them apart (equivalent mutants):
// - The fast path's guards made stricter (`typeof e.action === 'string'` and the other text
//   checks as false, `'string'` emptied, `value === null ||` as false in `isText`): the entry then
//   takes the generic path, `canonicalJson(hashedFields(entry))`, which writes the same text.
//   Only the speed differs.
// - The choice of SHA-256 implementation (`typeof oneShot === 'function'` as true or false) and
//   the `createHash` fallback itself: on Node 20.12 and later `crypto.hash` exists and both give
//   the same digest; the fallback is not reached on the Node versions the tests run on.
// - `contentHash: ''` in `chainInput` as another string: it is overwritten on the next line.

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const entry = {
  chain: 'default',
  timestamp: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)),
  actorId: 'u1',
  actorLabel: null,
  message: 'Renamed "a" to é',
  template: 'Renamed {{from}}',
  values: { z: 1, a: [true, null] },
  tool: 'items',
  action: 'update',
  objectType: 'item',
  objectId: null,
  changes: { oldValue: { name: 'a' }, newValue: { name: 'b' } },
  metadata: null,
  eventId: 'e-1',
  batchId: null,
};

const TEXT =
  '{"action":"update","actorId":"u1","actorLabel":null,"chain":"default",' +
  '"changes":{"newValue":{"name":"b"},"oldValue":{"name":"a"}},"eventId":"e-1",' +
  '"message":"Renamed \\"a\\" to é","metadata":null,"objectId":null,"objectType":"item",' +
  '"template":"Renamed {{from}}","timestamp":"2024-01-02T03:04:05.006Z","tool":"items",' +
  '"values":{"a":[true,null],"z":1}}';

describe('the hashed text', () => {
  it('is the canonical JSON of every stored field but id, seq, prevHash and hash', () => {
    expect(hashedText(entry as never)).toBe(TEXT);
    expect(canonicalJson(hashedFields(entry as never))).toBe(TEXT);
    expect(contentHash(entry as never)).toBe(sha256(TEXT));
  });

  it('holds a batch id only when the entry has one, in its sorted place', () => {
    const text = TEXT.replace('"actorLabel":null,', '"actorLabel":null,"batchId":"b-1",');
    expect(hashedText({ ...entry, batchId: 'b-1' } as never)).toBe(text);
    expect(canonicalJson(hashedFields({ ...entry, batchId: 'b-1' } as never))).toBe(text);
    const { batchId: _, ...without } = entry;
    expect(hashedText(without as never)).toBe(TEXT);
    expect(hashedFields(without as never)).not.toHaveProperty('batchId');
  });

  it('writes a field that is not text or null as canonical JSON does, leaving undefined out', () => {
    const odd = [undefined, 5, { b: 1, a: 2 }, ['x']];
    const fields = [
      'action',
      'chain',
      'message',
      'tool',
      'actorId',
      'actorLabel',
      'template',
      'objectType',
      'objectId',
      'eventId',
      'batchId',
    ];
    for (const field of fields) {
      for (const value of odd) {
        const e = { ...entry, [field]: value } as never;
        expect(hashedText(e), `${field}: ${JSON.stringify(value)}`).toBe(
          canonicalJson(hashedFields(e)),
        );
      }
    }
    for (const field of ['values', 'changes', 'metadata']) {
      const e = { ...entry, [field]: undefined } as never;
      expect(hashedText(e), field).toBe(canonicalJson(hashedFields(e)));
      expect(hashedText(e)).not.toContain(`"${field}"`);
    }
  });
});

describe('the links', () => {
  it('start from 64 zeros and chain SHA-256 of prevHash, seq and the content hash', async () => {
    expect(GENESIS_HASH).toBe('0000000000000000000000000000000000000000000000000000000000000000');
    const service = new EventLogService(memoryStorage(), { integrity: {} });
    const first = await service.log({ template: 'One', tool: 'items', action: 'create' });
    const content = contentHash({ ...first, chain: 'default' });
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(first.hash).toBe(sha256(`${GENESIS_HASH}1${content}`));
    expect(linkHash('ab', 12, 'cd')).toBe(sha256('ab12cd'));
    expect(linkHash('ab', '12', 'cd')).toBe(sha256('ab12cd'));
    expect(entryHash('ab', 3, entry as never)).toBe(sha256(`ab3${sha256(TEXT)}`));
    expect(legacyEntryHash('ab', 3, entry as never)).toBe(sha256(`ab3${TEXT}`));
  });

  it('numbers and links a batch after the head, every field carried over', () => {
    const input = chainInput(entry as never, 'p');
    expect(input).toEqual({
      ...entry,
      chain: 'p',
      contentHash: contentHash({ ...entry, chain: 'p' }),
    });
    const second = chainInput({ ...entry, message: 'Two' } as never, 'p');
    const head = { seq: 7, hash: 'f'.repeat(64) };
    const linked = linkEntries('p', head, [input, second]);
    const h8 = sha256(`${head.hash}8${input.contentHash}`);
    const { contentHash: _c, ...fields } = input;
    expect(linked).toEqual([
      { ...fields, chain: 'p', seq: 8, prevHash: head.hash, hash: h8 },
      {
        ...fields,
        message: 'Two',
        chain: 'p',
        seq: 9,
        prevHash: h8,
        hash: sha256(`${h8}9${second.contentHash}`),
      },
    ]);
    expect(linkEntries('p', head, [])).toEqual([]);
  });
});
