import { createHash } from 'node:crypto';
import { type EventLog, EventLogService, type MemoryStorage, memoryStorage } from '@eventlog/core';
import { contentHash, entryHash, GENESIS_HASH, linkHash } from '@eventlog/core/storage';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/integrity/canonical-json';
import { hashedFields, hashedText } from '../../src/integrity/hash';

// Both link formats on the reference storage: entries written before content hashes (the first
// format, hashed here by hand from its definition) keep verifying, alone and followed by entries
// of the current format, and tampering is found in either.

const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, seconds));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The first format: `hex(SHA-256(prevHash ‖ seq ‖ canonicalJson(hashedFields(entry))))`. */
const firstFormat = (prevHash: string, seq: number, entry: EventLog) =>
  sha256(prevHash + String(seq) + canonicalJson(hashedFields({ ...entry, chain: 'default' })));

function setup() {
  const storage = memoryStorage();
  const service = new EventLogService(storage, { integrity: {} }) as EventLogService<unknown>;
  const log = (i: number) =>
    service.log({
      template: `Entry ${i}`,
      values: { n: i },
      tool: 'items',
      action: 'update',
      changes: { oldValue: { n: i - 1 }, newValue: { n: i } },
      timestamp: at(i),
    });
  return { storage, service, log };
}

const rows = (storage: MemoryStorage) =>
  [...storage.raw.entries.values()].sort((a, b) => (a.seq as number) - (b.seq as number));

/** Rewrites the stored chain as the first format wrote it, head included. */
function toFirstFormat(storage: MemoryStorage): EventLog[] {
  let prev = GENESIS_HASH;
  for (const row of rows(storage)) {
    row.prevHash = prev;
    row.hash = firstFormat(prev, row.seq as number, row);
    prev = row.hash;
  }
  const head = storage.raw.heads.get('default');
  if (head) head.hash = prev;
  return rows(storage);
}

describe('link formats', () => {
  it('links each entry as SHA-256 of prevHash, seq and the content hash', async () => {
    const { storage, log } = setup();
    await log(1);
    const second = await log(2);
    const content = sha256(canonicalJson(hashedFields({ ...second, chain: 'default' })));
    expect(contentHash({ ...second, chain: 'default' })).toBe(content);
    expect(second.hash).toBe(sha256(`${second.prevHash}2${content}`));
    expect(second.hash).toBe(linkHash(second.prevHash as string, 2, content));
    expect(second.hash).toBe(
      entryHash(second.prevHash as string, 2, { ...second, chain: 'default' }),
    );
    expect(rows(storage)[1]).toEqual(second);
  });

  it('a chain of the first format verifies, and so does one continued in the current format', async () => {
    const { storage, service, log } = setup();
    for (let i = 1; i <= 3; i++) await log(i);
    const old = toFirstFormat(storage);
    expect(old[2]?.hash).not.toBe(
      entryHash(old[2]?.prevHash as string, 3, { ...old[2], chain: 'default' } as never),
    );
    expect(await service.verify()).toMatchObject({ ok: true, checked: 3 });
    const next = await log(4);
    expect(next).toMatchObject({ seq: 4, prevHash: old[2]?.hash });
    expect(await service.verify()).toMatchObject({ ok: true, checked: 4 });
    const checkpoint = await service.checkpoint();
    expect(await service.verify({ checkpoint })).toMatchObject({ ok: true, checked: 4 });
  });

  it('finds an altered entry of either format at its seq', async () => {
    const { storage, service, log } = setup();
    for (let i = 1; i <= 3; i++) await log(i);
    const old = toFirstFormat(storage);
    await log(4);
    await log(5);
    const second = old[1] as EventLog;
    const message = second.message;
    second.message = 'Forged';
    expect(await service.verify()).toMatchObject({
      ok: false,
      checked: 1,
      firstBroken: { seq: 2 },
    });
    second.message = message;
    expect(await service.verify()).toMatchObject({ ok: true, checked: 5 });
    const fifth = rows(storage)[4] as EventLog;
    fifth.message = 'Forged';
    const result = await service.verify();
    expect(result).toMatchObject({ ok: false, checked: 4, firstBroken: { seq: 5 } });
    expect(result.firstBroken?.reason).toMatch(/does not match its hash/);
  });

  it('finds an entry re-hashed in the other format over altered content as rewritten', async () => {
    const { storage, service, log } = setup();
    for (let i = 1; i <= 4; i++) await log(i);
    const third = rows(storage)[2] as EventLog;
    third.message = 'Forged';
    third.hash = firstFormat(third.prevHash as string, 3, third);
    const result = await service.verify();
    expect(result).toMatchObject({ ok: false, checked: 3, firstBroken: { seq: 3 } });
    expect(result.firstBroken?.reason).toMatch(/entry 3 was rewritten/);
  });

  it('purges a prefix of the first format and proves the start by a cut record of the first format', async () => {
    const { storage, service, log } = setup();
    for (let i = 1; i <= 4; i++) await log(i);
    expect(await service.purge({ before: at(2) })).toBe(1);
    // The whole chain, the cut record included, as the first format wrote it.
    const head = storage.raw.heads.get('default');
    if (!head) throw new Error('no head');
    let prev = head.start.hash;
    for (const row of rows(storage)) {
      row.prevHash = prev;
      row.hash = firstFormat(prev, row.seq as number, row);
      prev = row.hash;
    }
    head.hash = prev;
    expect(await service.verify()).toMatchObject({ ok: true, checked: 4 });
    expect(await service.purge({ before: at(3) })).toBe(1);
    expect(await service.verify()).toMatchObject({ ok: true, checked: 4 });
  });

  it('writes the hashed text exactly as canonical JSON of the hashed fields', () => {
    const text = fc.string({ unit: 'binary' });
    const json = fc.option(fc.dictionary(text, fc.jsonValue()), { nil: null });
    const entry = fc.record({
      chain: text,
      timestamp: fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(253402300799999) }),
      actorId: fc.option(text, { nil: null }),
      actorLabel: fc.option(text, { nil: null }),
      message: text,
      template: fc.option(text, { nil: null }),
      values: json,
      tool: text,
      action: text,
      objectType: fc.option(text, { nil: null }),
      objectId: fc.option(text, { nil: null }),
      changes: fc.option(
        fc.record({
          oldValue: fc.dictionary(text, fc.jsonValue()),
          newValue: fc.dictionary(text, fc.jsonValue()),
        }),
        { nil: null },
      ),
      metadata: json,
      eventId: fc.option(text, { nil: null }),
      batchId: fc.option(text, { nil: null }),
    });
    fc.assert(
      fc.property(entry, (e) => {
        expect(hashedText(e as never)).toBe(canonicalJson(hashedFields(e as never)));
      }),
      { numRuns: 100 },
    );
  });
});
