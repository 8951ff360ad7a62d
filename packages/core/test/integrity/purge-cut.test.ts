import { createHash } from 'node:crypto';
import { type EventLog, IntegrityError } from '@eventlog/core';
import { contentHash, GENESIS_HASH } from '@eventlog/core/storage';
import { describe, expect, it } from 'vitest';
import { cutRecord } from '../../src/integrity/cut-record';
import { purgeChains } from '../../src/integrity/purge';
import { at, forgeEntry, head, input, MOVED, series, setup, stored } from './cut-support';

// Retention on the reference storage, read closely: the cut record purge writes, field by field;
// which entries a tool filter keeps; and which cut record proves a start, among several, forged
// or altered ones. The API refuses tool "eventlog", so look-alikes are forged through the storage.
//
// Mutants of purge.ts that survive, and why no test can tell them apart (equivalent mutants; see
// docs/testing.md):
// - startProven's `r.hash === null ||` as false: `hashMatches` refuses a null hash all the same.
// - `r.seq > latest.seq` as `>=`: only two self-consistent records with one seq differ, and such
//   a duplicate is what verify reports.
// - The walk from `head.start.seq - 1` instead of `+ 1`: no row at or below the start is stored
//   after an eventlog purge, and a start moved by hand over stored rows is refused by the proof
//   before the walk.
// - `if (broken) throw` as false survives only a scoped run: "purge refuses to erase a tampered
//   prefix" of the integrity suite (memory-integrity.test.ts) kills it.

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
describe('the cut record', () => {
  it('states the purged range, the start before and after, and nothing else', async () => {
    const { storage, service, clock } = setup();
    const entries = await series(service, 5);
    clock.now = at(50);
    expect(await service.purge({ before: at(3) })).toBe(2);
    clock.now = at(60);
    expect(await service.purge({ before: at(5) })).toBe(2);
    const records = stored(storage).filter((e) => e.tool === 'eventlog');
    expect(records).toEqual([
      {
        id: records[0]?.id,
        chain: 'default',
        seq: 6,
        prevHash: entries[4]?.hash,
        hash: records[0]?.hash,
        timestamp: at(50),
        actorId: null,
        actorLabel: null,
        message: 'Retention purged entries 1 to 2 of chain "default"',
        template: null,
        values: null,
        tool: 'eventlog',
        action: 'purge',
        objectType: 'chain',
        objectId: 'default',
        changes: {
          oldValue: { start: { seq: 0, hash: GENESIS_HASH } },
          newValue: { start: { seq: 2, hash: entries[1]?.hash } },
        },
        metadata: null,
        eventId: null,
        batchId: null,
      },
      expect.objectContaining({
        seq: 7,
        timestamp: at(60),
        message: 'Retention purged entries 3 to 4 of chain "default"',
        changes: {
          oldValue: { start: { seq: 2, hash: entries[1]?.hash } },
          newValue: { start: { seq: 4, hash: entries[3]?.hash } },
        },
      }),
    ]);
    expect(head(storage).start).toEqual({ seq: 4, hash: entries[3]?.hash });
    expect(await service.verify()).toMatchObject({ ok: true, checked: 3 });
  });

  it('stamps the cut record with the current time when no clock is given', async () => {
    const { storage, service } = setup();
    await series(service, 2);
    const before = Date.now();
    expect(await purgeChains(storage, at(9), undefined)).toBe(2);
    const [record] = stored(storage);
    expect(record?.tool).toBe('eventlog');
    expect(record?.timestamp.getTime()).toBeGreaterThanOrEqual(before);
    expect(record?.timestamp.getTime()).toBeLessThanOrEqual(Date.now());
  });
});

describe('purge with a tool filter', () => {
  it('cuts earlier cut records whatever the tools, and stops at an entry of another tool', async () => {
    const { storage, service, clock } = setup();
    await service.log(input(1, 'a'));
    clock.now = at(2);
    // Entry 1 goes; the cut record (seq 2, at 2 s) now opens the chain.
    expect(await service.purge({ before: at(2), tool: 'a' })).toBe(1);
    await service.log(input(3, 'a'));
    await forgeEntry(storage, 'default', { timestamp: at(4), action: 'update', objectType: null });
    clock.now = at(100);
    // The cut record and entry 3 go; an entry merely of tool "eventlog" is no cut record.
    expect(await service.purge({ before: at(9), tool: 'a' })).toBe(2);
    expect(stored(storage).map((e) => [e.seq, e.tool])).toEqual([
      [4, 'eventlog'],
      [5, 'eventlog'],
    ]);
    expect(await service.verify()).toMatchObject({ ok: true, checked: 2 });
  });

  it('keeps an entry shaped like a cut record in one field but not the others', async () => {
    for (const shape of [
      { tool: 'eventlog', action: 'export', type: 'chain' },
      { tool: 'other', action: 'purge', type: 'chain' },
      { tool: 'eventlog', action: 'purge', type: 'table' },
    ]) {
      const { storage, service } = setup();
      const { type, ...rest } = shape;
      await forgeEntry(storage, 'default', { ...rest, timestamp: at(1), objectType: type });
      await service.log(input(2, 'a'));
      expect(await service.purge({ before: at(9), tool: 'a' })).toBe(0);
      expect(stored(storage)).toHaveLength(2);
    }
  });

  it('skips a partition whose head row is gone, and cuts nothing when nothing is old enough', async () => {
    const { storage, service } = setup('tool');
    await service.log(input(1, 'a'));
    await service.log(input(2, 'b'));
    storage.raw.heads.delete('a');
    expect(await service.purge({ before: at(9) })).toBe(1);
    expect(stored(storage, 'a')).toHaveLength(1);
    expect(await service.purge({ before: at(1) })).toBe(0);
  });
});

describe('the start a purge proves', () => {
  it('is the one set by the latest of several cut records', async () => {
    // The clock stands still (the records tie on time), then steps back (the latest record is
    // the oldest by time): either way the records are told apart by seq.
    for (const times of [
      [50, 50, 50],
      [50, 40, 30],
    ]) {
      const { service, clock } = setup();
      await series(service, 6);
      for (const [i, [cutoff, deleted]] of [
        [2, 1],
        [4, 2],
        [6, 2],
      ].entries()) {
        clock.now = at(times[i] as number);
        expect(await service.purge({ before: at(cutoff as number) })).toBe(deleted);
      }
      expect(await service.verify()).toMatchObject({ ok: true });
    }
  });

  it('is not proven by a row outside the chain crafted to match its own links', async () => {
    // Each row is stored by hand with a hash that matches the seq, prevHash and chain it states,
    // but one of them is missing or another chain's: it is no link of this chain.
    for (const shape of [
      { chain: 'elsewhere', seq: 9, prevHash: 'p'.repeat(64) },
      { chain: 'default', seq: null, prevHash: 'p'.repeat(64) },
      { chain: 'default', seq: 9, prevHash: null },
    ]) {
      const { storage, service } = setup();
      const entries = await series(service, 4);
      const start = { seq: 3, hash: entries[2]?.hash as string };
      const record = stored(storage)[0] as EventLog;
      const fields = {
        ...record,
        timestamp: at(90),
        tool: 'eventlog',
        action: 'purge',
        objectType: 'chain',
        objectId: 'default',
        changes: { oldValue: {}, newValue: { start } },
        ...shape,
      };
      const content = contentHash({ ...fields, chain: 'default' });
      const id = storage.raw.nextId();
      storage.raw.entries.set(id, {
        ...fields,
        id,
        hash: sha256(`${shape.prevHash}${shape.seq}${content}`),
      });
      for (const e of entries.slice(0, 3)) storage.raw.entries.delete(e.id);
      head(storage).start = start;
      const purge = service.purge({ before: at(9) });
      await expect(purge).rejects.toBeInstanceOf(IntegrityError);
      await expect(purge).rejects.toMatchObject({ broken: { seq: 3, reason: MOVED(3) } });
    }
  });

  it('is not proven by a cut record whose content was altered', async () => {
    const { storage, service } = setup();
    const entries = await series(service, 4);
    expect(await service.purge({ before: at(2) })).toBe(1);
    // Entries 2 and 3 deleted by hand, the record rewritten to state the forged start.
    const record = stored(storage).find((e) => e.tool === 'eventlog') as EventLog;
    const forged = { seq: 3, hash: entries[2]?.hash as string };
    record.changes = { oldValue: record.changes?.oldValue ?? {}, newValue: { start: forged } };
    storage.raw.entries.delete(entries[1]?.id as string);
    storage.raw.entries.delete(entries[2]?.id as string);
    head(storage).start = forged;
    const purge = service.purge({ before: at(9) });
    await expect(purge).rejects.toBeInstanceOf(IntegrityError);
    await expect(purge).rejects.toMatchObject({
      partition: 'default',
      broken: { seq: 3, reason: MOVED(3) },
      message: `chain "default" is broken at seq 3: ${MOVED(3)}`,
    });
    expect(storage.raw.entries.has(entries[3]?.id as string)).toBe(true);
  });

  it('is not proven by a cut record logged into another chain', async () => {
    const { storage, service } = setup('tool');
    const a = [await service.log(input(1, 'a')), await service.log(input(2, 'a'))];
    await service.log(input(3, 'a'));
    // Partition "eventlog" takes what a purge of chain "a" would append to chain "a".
    const {
      contentHash: _,
      chain: __,
      ...record
    } = cutRecord(
      'a',
      { seq: 0, hash: GENESIS_HASH },
      { seq: 2, hash: a[1]?.hash as string },
      at(4),
    );
    await forgeEntry(storage, 'eventlog', record);
    for (const e of a) storage.raw.entries.delete(e.id);
    head(storage, 'a').start = { seq: 2, hash: a[1]?.hash as string };
    await expect(service.purge({ before: at(9), tool: 'a' })).rejects.toMatchObject({
      partition: 'a',
      broken: { seq: 2, reason: MOVED(2) },
    });
  });
});
