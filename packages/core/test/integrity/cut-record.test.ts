import {
  CaptureError,
  EventLogService,
  IntegrityError,
  memoryStorage,
  ValidationError,
} from '@eventlog/core';
import { captureSettings, GENESIS_HASH, type NewEventLog } from '@eventlog/core/storage';
import { describe, expect, it } from 'vitest';
import { cutRecord, RESERVED_TOOL_MESSAGE } from '../../src/integrity/cut-record';
import { at, forgeEntry, head, input, MOVED, series, setup } from './cut-support';

// What verify takes as a cut record, and who can write one: tool "eventlog" is refused by every
// write path of the API, and verify (and purge) trust only the exact entry a purge appends, so a
// look-alike written before the tool was reserved proves nothing either.
//
// Mutants of recordedStart that survive (equivalent; see docs/testing.md): its first test
// (`isCutRecord`, `objectId`) made always false, or its `||` an `&&`: the content hash compared
// after covers tool, action, object type and id too, so that test only spares the other
// entries of a chain the parse; and `p?.hash` as `p.hash`: `p` is absent only when the seq
// test before it has already failed.

const genesis = { seq: 0, hash: GENESIS_HASH };

/** The fields of the cut record a purge to `cut` would append to `chain` at `seconds`. */
function purgeShaped(
  chain: string,
  cut: { seq: number; hash: string },
  seconds = 5,
  from = genesis,
) {
  const { contentHash: _, chain: __, ...record } = cutRecord(chain, from, cut, at(seconds));
  return record;
}

describe('tool "eventlog" is reserved', () => {
  it('log() and logMany() refuse it, naming the field, and write nothing', async () => {
    for (const integrity of [undefined, { partition: 'default' as const }]) {
      const storage = memoryStorage();
      const service = new EventLogService(storage, integrity ? { integrity } : {});
      const reserved = { ...input(1, 'eventlog'), object: { type: 'chain', id: 'default' } };
      const one = service.log(reserved);
      await expect(one).rejects.toBeInstanceOf(ValidationError);
      expect(RESERVED_TOOL_MESSAGE).toBe(
        'is reserved: entries of tool "eventlog" are written by eventlog itself (the records of retention\'s cuts)',
      );
      await expect(one).rejects.toMatchObject({
        message: `tool: ${RESERVED_TOOL_MESSAGE}`,
        issues: [{ path: ['tool'], message: RESERVED_TOOL_MESSAGE }],
      });
      const many = service.logMany([input(1), reserved]);
      await expect(many).rejects.toBeInstanceOf(ValidationError);
      await expect(many).rejects.toMatchObject({ issues: [{ path: [1, 'tool'] }] });
      expect(storage.raw.entries.size).toBe(0);
      expect(storage.raw.heads.size).toBe(0);
    }
  });

  it('only that exact name: other tools spelled alike are logged', async () => {
    const { service } = setup();
    for (const tool of ['Eventlog', 'eventlog ', 'eventlogs', 'event-log']) {
      expect((await service.log(input(1, tool))).tool).toBe(tool);
    }
  });

  it('capture refuses it when set up, naming the option', () => {
    expect(() => captureSettings({ objectType: 'Item', tool: 'eventlog' })).toThrow(
      new CaptureError('options', `capture option tool ${RESERVED_TOOL_MESSAGE}`),
    );
    expect(captureSettings({ objectType: 'Item', tool: 'items' }).tool).toBe('items');
  });
});

describe('verify: only what purge appends is a cut record', () => {
  // Each look-alike differs from the record of a purge to seq 3 in one way that log() could have
  // written (a template, an actor, metadata...) or that no purge writes (a start that does not
  // move forward, another message).
  const variants: [string, (h3: string) => Partial<NewEventLog>][] = [
    ['a template', () => ({ template: 'Retention purged entries 1 to 3 of chain "default"' })],
    ['an actor id', () => ({ actorId: 'user_1' })],
    ['an actor label', () => ({ actorLabel: 'John Doe' })],
    ['values', () => ({ values: {} })],
    ['metadata', () => ({ metadata: { ip: '127.0.0.1' } })],
    ['an eventId', () => ({ eventId: 'evt_1' })],
    ['a batch', () => ({ batchId: 'batch_1' })],
    ['another message', () => ({ message: 'Retention purged entries 1 to 3' })],
    [
      // Written as cutRecord would word it, so only the order of the two starts disqualifies it.
      'a previous start not before the new one',
      (h3) => purgeShaped('default', { seq: 3, hash: h3 }, 5, { seq: 3, hash: h3 }),
    ],
    ['no changes', () => ({ changes: null })],
    ['no old value', (h3) => ({ changes: { newValue: { start: { seq: 3, hash: h3 } } } as never })],
    ['no new value', () => ({ changes: { oldValue: { start: genesis } } as never })],
    [
      'no previous start',
      (h3) => ({ changes: { oldValue: {}, newValue: { start: { seq: 3, hash: h3 } } } }),
    ],
  ];
  for (const [what, change] of variants) {
    it(`takes no proof from a record with ${what}`, async () => {
      const { storage, service } = setup();
      const entries = await series(service, 4);
      const h3 = entries[2]?.hash as string;
      await forgeEntry(storage, 'default', {
        ...purgeShaped('default', { seq: 3, hash: h3 }),
        ...change(h3),
      });
      for (const e of entries.slice(0, 3)) storage.raw.entries.delete(e.id);
      head(storage).start = { seq: 3, hash: h3 };
      expect(await service.verify()).toMatchObject({
        ok: false,
        firstBroken: { seq: 3, reason: MOVED(3) },
      });
      await expect(service.purge({ before: at(9) })).rejects.toMatchObject({
        broken: { seq: 3, reason: MOVED(3) },
      });
    });
  }

  it('passes over a look-alike after a real cut: the real one still proves the start', async () => {
    const { storage, service, clock } = setup();
    const entries = await series(service, 4);
    clock.now = at(50);
    expect(await service.purge({ before: at(3) })).toBe(2);
    const h3 = entries[2]?.hash as string;
    // Later by seq than the real record, stating a start one further, as log() once could write.
    await forgeEntry(storage, 'default', {
      ...purgeShaped('default', { seq: 3, hash: h3 }, 60),
      template: 'Retention purged entries 1 to 3 of chain "default"',
    });
    expect(await service.verify()).toMatchObject({ ok: true, checked: 4 });
    // Purge proves the start by the real record too, and cuts on.
    clock.now = at(70);
    expect(await service.purge({ before: at(4) })).toBe(1);
    expect(await service.verify()).toMatchObject({ ok: true, checked: 4 });
  });
});

describe('verify: the start a cut record states', () => {
  it('takes no proof from a record of another chain or with a malformed or other start', async () => {
    const ELSEWHERE =
      'the start of the partition (seq 3) is not where the last recorded purge cut it (seq 3): it was moved outside eventlog';
    for (const [objectId, start, reason] of [
      ['other', (h: string) => ({ seq: 3, hash: h }), MOVED(3)],
      ['default', (h: string) => ({ seq: '3', hash: h }), MOVED(3)],
      ['default', () => ({ seq: 3, hash: 7 }), MOVED(3)],
      ['default', () => null, MOVED(3)],
      ['default', () => ({ seq: 3, hash: 'e'.repeat(64) }), ELSEWHERE],
    ] as const) {
      const { storage, service } = setup();
      const entries = await series(service, 4);
      const h3 = entries[2]?.hash as string;
      // What a purge would append, its start then changed; linked like any entry, so its hash is
      // valid: only its content can disqualify it.
      const genesis = { seq: 0, hash: GENESIS_HASH };
      const cut = { seq: 3, hash: h3 };
      const { contentHash: _, chain: __, ...record } = cutRecord(objectId, genesis, cut, at(5));
      await forgeEntry(storage, 'default', {
        ...record,
        changes: { oldValue: { start: genesis }, newValue: { start: start(h3) } },
      });
      for (const e of entries.slice(0, 3)) storage.raw.entries.delete(e.id);
      head(storage).start = { seq: 3, hash: h3 };
      const result = await service.verify();
      expect(result).toMatchObject({ ok: false, firstBroken: { seq: 3, reason } });
      // Nor does purge take it as the proof of the start it would record as its previous one.
      const purge = service.purge({ before: at(9) });
      await expect(purge).rejects.toBeInstanceOf(IntegrityError);
      await expect(purge).rejects.toMatchObject({ broken: { seq: 3, reason: MOVED(3) } });
    }
  });
});
