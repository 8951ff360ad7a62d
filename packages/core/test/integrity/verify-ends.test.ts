import {
  type EventLog,
  EventLogService,
  type MemoryStorage,
  memoryStorage,
  parseCheckpoint,
  ValidationError,
  type VerifyOptions,
} from '@eventlog/core';
import { entryHash, GENESIS_HASH } from '@eventlog/core/storage';
import { describe, expect, it } from 'vitest';

// The chain walk's ends and edges on the reference storage, tampered with through its live state:
// verify ranges (`from`/`to`), a head row or start rewritten in place, a checkpoint against a
// moved start, and entries that lost their chain fields. The tamper suite covers the shapes an
// attacker makes most often; these pin the branches it reaches only through them.

// Mutants of chain-walk.ts and verify-partition.ts that survive every test, and why no test can
// tell them apart (equivalent mutants; see docs/testing.md):
// - canonicalKey: `!(timestamp instanceof Date)` as false, and the field name passed to
//   toTimestampKey: toTimestampKey refuses a non-Date itself, the catch turns that into null, and
//   the field name lives only in the caught error.
// - readPages' stop test (`page.length < pageSize`, `last === undefined`, `last.seq === null`,
//   `||` as `&&`): without one of them the walk asks for one more page, which comes back empty;
//   the result is the same. readChain returns chained rows only, so `last.seq` is never null.
// - check(): `seq === null` and `entry.chain === null` as false: readChain selects by chain and
//   seq range, so such a row never reaches the walk (it shows as the gap it leaves, tested above).
//   `key === null ||` as false: the stored `timestampKey` is a string, never equal to null.
// - verifyPartition's first seq, `Math.max(from ?? start.seq + 1, start.seq + 1)` with either
//   `+ 1` as `- 1`: the walk starts from the start either way when no row at or below the start
//   is stored; when one is, only a `from` range differs, and a range does not judge the start.
//
// Survivors of verify.ts and checkpoint.ts (scoped to the integrity tests; see docs/testing.md),
// all equivalent. The option errors' text and checks are pinned below; rows outside the chain in
// unchained-rows.test.ts; the signed checkpoint format in checkpoint-signature.test.ts.
// - seqOption's `typeof value !== 'number'` as false: `Number.isSafeInteger` refuses a non-number
//   with the same error.
// - `from !== undefined && to !== undefined` (either test as true, `&&` as `||`) before
//   `from > to`: a comparison with undefined is false, so the guards only spare a comparison.
// - findUnchained's page stop (`||` as `&&`, either test as false), and `pageSize ?? DEFAULT` as
//   `&&`: the loop reads one more page, which is empty, or reads every row in one page; the count
//   is the same. (Not for `pageSize: 0`, which verify does not refuse: a page of 0 rows then
//   reads as the last one, and without `last === undefined` the loop would throw.)
// - findUnchained's catch block emptied: `name` stays undefined, no partition has that name, so the
//   row is skipped as `continue` skips it.
// - `checkpoint.signature === undefined` as false: `Buffer.from(undefined)` throws, and the catch
//   answers false the same way.

const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, seconds));

async function chain(count: number): Promise<{
  storage: MemoryStorage;
  service: EventLogService<unknown>;
  entries: EventLog[];
}> {
  const storage = memoryStorage();
  const service = new EventLogService(storage, { integrity: {} }) as EventLogService<unknown>;
  const entries: EventLog[] = [];
  for (let i = 1; i <= count; i++) {
    entries.push(
      await service.log({
        template: `Entry ${i}`,
        tool: 'items',
        action: 'update',
        timestamp: at(i),
      }),
    );
  }
  return { storage, service, entries };
}

const head = (storage: MemoryStorage) => {
  const found = storage.raw.heads.get('default');
  if (!found) throw new Error('no head');
  return found;
};

const hashOf = (entries: EventLog[], seq: number) => entries[seq - 1]?.hash as string;

/** What an attacker who knows the algorithm does: re-links every entry from `seq` on after `prevHash`. */
function rechain(storage: MemoryStorage, seq: number, prevHash: string): void {
  const rows = [...storage.raw.entries.values()]
    .filter((e) => e.seq !== null && e.seq >= seq)
    .sort((a, b) => (a.seq as number) - (b.seq as number));
  let prev = prevHash;
  for (const row of rows) {
    row.prevHash = prev;
    row.hash = entryHash(prev, row.seq as number, { ...row, chain: 'default' });
    prev = row.hash;
  }
  head(storage).hash = prev;
}

describe('verify: ranges', () => {
  it('checks `from` against the entry before it, and finds that entry deleted', async () => {
    const { storage, service, entries } = await chain(6);
    expect(await service.verify({ partition: 'default', from: 4 })).toEqual({
      ok: true,
      partition: 'default',
      checked: 3,
      partitions: [{ partition: 'default', ok: true, checked: 3 }],
    });
    storage.raw.entries.delete(entries[2]?.id as string);
    const result = await service.verify({ partition: 'default', from: 4 });
    expect(result).toMatchObject({ ok: false, checked: 0, firstBroken: { seq: 3 } });
    expect(result.firstBroken?.reason).toBe('entry 3 is missing (deleted)');
  });

  it('finds the entry before `from` stored without its hash', async () => {
    const { storage, service, entries } = await chain(5);
    Object.assign(storage.raw.entries.get(entries[2]?.id as string) as EventLog, { hash: null });
    const result = await service.verify({ partition: 'default', from: 4 });
    expect(result).toMatchObject({ ok: false, checked: 0, firstBroken: { seq: 3 } });
    expect(result.firstBroken?.reason).toBe('entry 3 is missing (deleted)');
  });

  it('finds an entry before `from` whose hash was rewritten, at `from`', async () => {
    const { storage, service, entries } = await chain(5);
    Object.assign(storage.raw.entries.get(entries[2]?.id as string) as EventLog, {
      hash: 'b'.repeat(64),
    });
    const result = await service.verify({ partition: 'default', from: 4, to: 5 });
    expect(result).toMatchObject({ ok: false, checked: 0, firstBroken: { seq: 3 } });
    expect(result.firstBroken?.reason).toMatch(/^entry 3 was rewritten or moved/);
  });

  it('a `from` at or before the start walks from the start', async () => {
    const { service } = await chain(4);
    await service.purge({ before: at(3) });
    // Entries 1 and 2 are gone, the cut record is entry 5.
    expect(await service.verify({ partition: 'default', from: 1 })).toMatchObject({
      ok: true,
      checked: 3,
    });
  });

  it('finds a deleted last entry of a `to` range up to the head, not past it', async () => {
    const { storage, service, entries } = await chain(5);
    storage.raw.entries.delete(entries[4]?.id as string);
    const inRange = await service.verify({ partition: 'default', from: 2, to: 5 });
    expect(inRange).toMatchObject({ ok: false, checked: 3, firstBroken: { seq: 5 } });
    expect(inRange.firstBroken?.reason).toBe('entry 5 is missing (deleted)');
    // A range that stops before the deleted entry does not see it.
    expect(await service.verify({ partition: 'default', to: 4 })).toMatchObject({
      ok: true,
      checked: 4,
    });
    // Asked beyond the head, an intact chain is checked up to the head.
    const intact = await chain(3);
    expect(await intact.service.verify({ partition: 'default', to: 9 })).toMatchObject({
      ok: true,
      checked: 3,
    });
  });

  it('finds the deleted tail of a `to` range that reaches past the head', async () => {
    const { storage, service, entries } = await chain(5);
    storage.raw.entries.delete(entries[4]?.id as string);
    const result = await service.verify({ partition: 'default', to: 6 });
    expect(result).toMatchObject({ ok: false, checked: 4, firstBroken: { seq: 5 } });
    expect(result.firstBroken?.reason).toBe('entry 5 is missing (deleted)');
  });

  it('reads a range page by page', async () => {
    const { service } = await chain(7);
    expect(
      await service.verify({ partition: 'default', from: 2, to: 6, pageSize: 2 }),
    ).toMatchObject({ ok: true, checked: 5 });
    expect(await service.verify({ pageSize: 1 })).toMatchObject({ ok: true, checked: 7 });
  });
});

describe('verify: the head row and the start', () => {
  it('finds a head row whose hash was rewritten, at the last entry', async () => {
    const { storage, service } = await chain(3);
    head(storage).hash = 'c'.repeat(64);
    const result = await service.verify();
    expect(result).toMatchObject({ ok: false, checked: 3, firstBroken: { seq: 3 } });
    expect(result.firstBroken?.reason).toBe("entry 3 does not match the head row's hash");
  });

  it('finds a start rewritten in place at the first entry', async () => {
    const { storage, service } = await chain(3);
    head(storage).start = { seq: 0, hash: 'd'.repeat(64) };
    const result = await service.verify();
    expect(result).toMatchObject({ ok: false, checked: 0, firstBroken: { seq: 1 } });
    expect(result.firstBroken?.reason).toBe('entry 1 does not chain to the start of the partition');
  });

  it('finds a start moved by hand away from the one the last purge recorded', async () => {
    const { storage, service, entries } = await chain(5);
    expect(await service.purge({ before: at(3) })).toBe(2);
    expect(await service.verify()).toMatchObject({ ok: true, checked: 4 });
    // Entry 3 deleted and the start moved past it, its hash the real one: the chain still links.
    storage.raw.entries.delete(entries[2]?.id as string);
    head(storage).start = { seq: 3, hash: hashOf(entries, 3) };
    const result = await service.verify();
    expect(result).toMatchObject({ ok: false, checked: 3, firstBroken: { seq: 3 } });
    expect(result.firstBroken?.reason).toMatch(
      /^the start of the partition \(seq 3\) is not where the last recorded purge cut it \(seq 2\)/,
    );
    // A range does not judge the start: it checks links from `from` only.
    expect(await service.verify({ partition: 'default', from: 4 })).toMatchObject({ ok: true });
  });

  it('finds a start moved by hand to the right seq with another hash', async () => {
    const { storage, service } = await chain(4);
    await service.purge({ before: at(3) });
    const start = head(storage).start;
    expect(start.seq).toBe(2);
    // Rewriting the start hash breaks the link of entry 3 first.
    head(storage).start = { seq: 2, hash: 'e'.repeat(64) };
    const result = await service.verify();
    expect(result).toMatchObject({ ok: false, firstBroken: { seq: 3 } });
    expect(result.firstBroken?.reason).toMatch(/does not chain to the start/);
  });

  it('finds an entry that lost its chain fields at the seq it should have had', async () => {
    const { storage, service, entries } = await chain(4);
    for (const field of ['seq', 'chain', 'hash', 'prevHash'] as const) {
      const stored = storage.raw.entries.get(entries[1]?.id as string) as EventLog;
      const saved = stored[field];
      // A row keeps its place in the walk only through `seq`: null it and the row drops out.
      Object.assign(stored, { [field]: null });
      const result = await service.verify();
      expect(result, field).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
      if (field !== 'seq' && field !== 'chain') {
        expect(result.firstBroken?.reason, field).toBe(
          `entry ${entries[1]?.id} has lost its chain fields`,
        );
      }
      Object.assign(stored, { [field]: saved });
    }
    expect(await service.verify()).toMatchObject({ ok: true, checked: 4 });
  });
});

describe('verify: a start moved by hand, the chain re-linked after it', () => {
  it('finds a start moved forward over rows that are still stored', async () => {
    const { storage, service, entries } = await chain(4);
    head(storage).start = { seq: 2, hash: hashOf(entries, 2) };
    const result = await service.verify();
    expect(result).toMatchObject({ ok: false, checked: 2, firstBroken: { seq: 2 } });
    expect(result.firstBroken?.reason).toMatch(
      /^the start of the partition \(seq 2\) was moved outside eventlog/,
    );
  });

  it('finds a start rewritten to another hash at the cut seq', async () => {
    const { storage, service } = await chain(5);
    await service.purge({ before: at(3) });
    const forged = '9'.repeat(64);
    head(storage).start = { seq: 2, hash: forged };
    rechain(storage, 3, forged);
    const result = await service.verify();
    expect(result).toMatchObject({ ok: false, checked: 4, firstBroken: { seq: 2 } });
    expect(result.firstBroken?.reason).toMatch(
      /is not where the last recorded purge cut it \(seq 2\)/,
    );
  });

  it('finds a start moved to another seq with the cut hash', async () => {
    const { storage, service, entries } = await chain(5);
    await service.purge({ before: at(3) });
    storage.raw.entries.delete(entries[2]?.id as string);
    head(storage).start = { seq: 3, hash: hashOf(entries, 2) };
    rechain(storage, 4, hashOf(entries, 2));
    const result = await service.verify();
    expect(result).toMatchObject({ ok: false, checked: 3, firstBroken: { seq: 3 } });
    expect(result.firstBroken?.reason).toMatch(
      /^the start of the partition \(seq 3\) is not where the last recorded purge cut it \(seq 2\)/,
    );
  });
});

describe('verify: stored timestamps and checkpoints', () => {
  it('names the timestamp eventlog wrote beside the one stored', async () => {
    const { storage, service, entries } = await chain(3);
    storage.raw.timestampKeys.set(entries[1]?.id as string, '2024-01-01T00:00:02.000123Z');
    expect((await service.verify()).firstBroken?.reason).toBe(
      'entry 2\'s stored timestamp "2024-01-01T00:00:02.000123Z" is not the one eventlog wrote ("2024-01-01T00:00:02.000000Z"): it was rewritten',
    );
  });

  it('finds a stored timestamp that is no valid date at its seq', async () => {
    const { storage, service, entries } = await chain(3);
    const id = entries[1]?.id as string;
    (storage.raw.entries.get(id) as EventLog).timestamp = new Date(Number.NaN);
    storage.raw.timestampKeys.set(id, 'not a date');
    const result = await service.verify();
    expect(result).toMatchObject({ ok: false, checked: 1, firstBroken: { seq: 2 } });
    expect(result.firstBroken?.reason).toBe(
      'entry 2\'s stored timestamp "not a date" is not the one eventlog wrote: it was rewritten',
    );
  });

  it('names a checkpoint whose entry the chain no longer holds', async () => {
    const { service } = await chain(3);
    await service.log({ template: 'Later', tool: 'items', action: 'update', timestamp: at(9) });
    const checkpoint = await service.checkpoint();
    const result = await service.verify({ checkpoint: { ...checkpoint, hash: '7'.repeat(64) } });
    expect(result).toMatchObject({ ok: false, checked: 4, firstBroken: { seq: 4 } });
    expect(result.firstBroken?.reason).toBe('entry 4 does not match the checkpoint');
  });
});

describe('verify: a checkpoint against the start', () => {
  it('refuses a start moved back from the checkpoint’s', async () => {
    const { storage, service } = await chain(5);
    await service.purge({ before: at(3) });
    const checkpoint = await service.checkpoint();
    expect(checkpoint.start).toEqual(head(storage).start);
    head(storage).start = { seq: 0, hash: GENESIS_HASH };
    const result = await service.verify({ checkpoint });
    expect(result).toMatchObject({ ok: false, checked: 0, firstBroken: { seq: 0 } });
    expect(result.firstBroken?.reason).toBe(
      "the start of the partition moved back from seq 2 (the checkpoint's) to seq 0",
    );
  });

  it('refuses a start rewritten at the checkpoint’s seq', async () => {
    const { storage, service } = await chain(5);
    await service.purge({ before: at(3) });
    const checkpoint = await service.checkpoint();
    head(storage).start = { seq: 2, hash: 'f'.repeat(64) };
    const result = await service.verify({ checkpoint });
    expect(result).toMatchObject({ ok: false, checked: 0, firstBroken: { seq: 2 } });
    expect(result.firstBroken?.reason).toBe(
      'the start of the partition was rewritten since the checkpoint',
    );
    // The same start with its hash intact, and a checkpoint of an earlier version (no start).
    const { start: _start, ...legacy } = checkpoint;
    expect(await service.verify({ checkpoint: legacy })).toMatchObject({
      ok: false,
      firstBroken: { seq: 3 },
    });
  });

  it('accepts a checkpoint at the last entry and one taken before later entries', async () => {
    const { service } = await chain(3);
    const checkpoint = await service.checkpoint();
    await service.log({ template: 'Later', tool: 'items', action: 'update', timestamp: at(9) });
    expect(await service.verify({ checkpoint })).toMatchObject({ ok: true, checked: 4 });
  });
});

describe('verify: options', () => {
  const refused = async (
    service: EventLogService<unknown>,
    options: object,
    field: string,
    message: string,
  ) => {
    const call = service.verify(options as VerifyOptions);
    await expect(call).rejects.toBeInstanceOf(ValidationError);
    await expect(call).rejects.toMatchObject({ message, issues: [{ path: [field] }] });
  };
  const SEQ = (field: string) => `${field}: must be a positive integer seq`;
  const NO_PARTITION = 'partition: is required with from/to: seqs number one partition';
  const WHOLE = 'checkpoint: verifies the whole chain: leave out from/to';

  it('refuses a seq that is not a positive safe integer, a range without a partition or backwards', async () => {
    const { service } = await chain(2);
    for (const from of [0, -1, 1.5, '1', Number.MAX_SAFE_INTEGER + 1]) {
      await refused(service, { partition: 'default', from }, 'from', SEQ('from'));
    }
    await refused(service, { partition: 'default', to: 0 }, 'to', SEQ('to'));
    await refused(service, { from: 1 }, 'partition', NO_PARTITION);
    await refused(service, { to: 1 }, 'partition', NO_PARTITION);
    await refused(
      service,
      { partition: 'default', from: 2, to: 1 },
      'from',
      'from: must not be after `to`',
    );
    expect(await service.verify({ partition: 'default', from: 2, to: 2 })).toMatchObject({
      ok: true,
      checked: 1,
    });
  });

  it('refuses a page size that is not a positive safe integer, which would misread the chain', async () => {
    const { service } = await chain(2);
    for (const pageSize of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10']) {
      await refused(service, { pageSize }, 'pageSize', 'pageSize: must be a positive integer');
    }
    expect(await service.verify({ pageSize: 1 })).toMatchObject({ ok: true, checked: 2 });
  });

  it('refuses a checkpoint with a range or for another partition', async () => {
    const { service } = await chain(2);
    const checkpoint = await service.checkpoint();
    await refused(service, { checkpoint, from: 1 }, 'checkpoint', WHOLE);
    await refused(service, { checkpoint, to: 2 }, 'checkpoint', WHOLE);
    await refused(
      service,
      { checkpoint, partition: 'other' },
      'checkpoint',
      'checkpoint: is for partition "default", not "other"',
    );
    expect(await service.verify({ checkpoint })).toMatchObject({ ok: true, partition: 'default' });
  });
});

describe('parseCheckpoint: a checkpoint kept outside the database', () => {
  it('refuses a hash or start hash with anything before or after its 64 hex digits', () => {
    const h = 'a'.repeat(64);
    const base = { partition: 'p', seq: 1, hash: h, at: new Date(0) };
    expect(parseCheckpoint({ ...base, start: { seq: 0, hash: h } }).hash).toBe(h);
    const cases: [object, string][] = [
      [{ ...base, hash: `${h}0` }, 'hash'],
      [{ ...base, hash: `0${h}` }, 'hash'],
      [{ ...base, start: { seq: 0, hash: `${h}0` } }, 'start'],
      [{ ...base, start: { seq: 0, hash: `0${h}` } }, 'start'],
    ];
    for (const [input, field] of cases) {
      const error = (() => {
        try {
          parseCheckpoint(input);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).message).toMatch(
        new RegExp(`^Invalid checkpoint: ${field}.*: must be 64 lowercase hex digits$`),
      );
    }
  });
});
