import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MASK,
  EventLogService,
  type LogInput,
  type MemoryTransaction,
  memoryStorage,
  runWithContext,
  StorageError,
  TemplateError,
  ValidationError,
} from '../src/index';
import type { EventLogStorage } from '../src/storage-entry';

const base = { template: 'Something happened', tool: 'billing', action: 'update' } as const;

/** The paths of a ValidationError's issues, or a failure when something else was thrown. */
async function issuePaths(run: Promise<unknown>): Promise<string[]> {
  const error = await run.then(
    () => {
      throw new Error('expected a ValidationError');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues.map((i) => i.path.join('.'));
}

describe('EventLogService.log validation', () => {
  const service = new EventLogService(memoryStorage());

  it('names the field at fault', async () => {
    expect(await issuePaths(service.log({ ...base, tool: '' }))).toEqual(['tool']);
    expect(await issuePaths(service.log({ ...base, action: 'x'.repeat(256) }))).toEqual(['action']);
    const badValues = { ...base, values: 'nope' } as unknown as LogInput;
    expect(await issuePaths(service.log(badValues))).toEqual(['values']);
    const badChanges = { ...base, changes: { oldValue: {}, newValue: 3 } } as unknown as LogInput;
    expect(await issuePaths(service.log(badChanges))).toEqual(['changes.newValue']);
    expect(await issuePaths(service.log({ ...base, object: 'Item:1' }))).toEqual(['object']);
    expect(await issuePaths(service.log({ ...base, actor: 'root' }))).toEqual(['actor']);
  });

  it('prefixes the index of the bad input in logMany()', async () => {
    expect(await issuePaths(service.logMany([base, { ...base, tool: '' }]))).toEqual(['1.tool']);
  });

  it('throws TemplateError naming a placeholder missing from values, unless configured', async () => {
    const error = await service.log({ ...base, template: 'Hi {user__name}' }).catch((e) => e);
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).placeholder).toBe('user__name');
    const keep = new EventLogService(memoryStorage(), { onMissingPlaceholder: 'keep' });
    expect((await keep.log({ ...base, template: 'Hi {user__name}' })).message).toBe(
      'Hi {user__name}',
    );
  });

  it('refuses oversize (a million keys), 10,000-deep and cyclic payloads with a ValidationError', async () => {
    const small = new EventLogService(memoryStorage(), { limits: { maxPayloadBytes: 1000 } });
    const big = { oldValue: {}, newValue: { blob: 'x'.repeat(2000) } };
    expect(await issuePaths(small.log({ ...base, changes: big }))).toEqual(['changes']);
    expect(await issuePaths(small.log({ ...base, metadata: { blob: 'x'.repeat(2000) } }))).toEqual([
      'metadata',
    ]);

    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    const [path] = await issuePaths(
      service.log({ ...base, changes: { oldValue: deep, newValue: {} } }),
    );
    expect(path?.startsWith('changes.oldValue.d')).toBe(true);

    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const cycle = await service.log({ ...base, metadata: cyclic }).catch((e: unknown) => e);
    expect(cycle).toBeInstanceOf(ValidationError);
    expect((cycle as ValidationError).message).toMatch(/^metadata\.self.*cycle/);

    const manyKeys = Object.fromEntries(Array.from({ length: 1_000_000 }, (_, i) => [`k${i}`, i]));
    const tight = new EventLogService(memoryStorage(), { limits: { maxPayloadBytes: 100_000 } });
    expect(await issuePaths(tight.log({ ...base, metadata: manyKeys }))).toEqual(['metadata']);
  });
});

describe('EventLogService.log', () => {
  it('encodes Date, BigInt, NaN, undefined, Map and Set deterministically', async () => {
    const service = new EventLogService(memoryStorage());
    const when = new Date('2024-05-06T07:08:09.010Z');
    const entry = await service.log({
      ...base,
      changes: {
        oldValue: { at: when, big: 2n ** 64n, nan: Number.NaN, gone: undefined },
        newValue: { map: new Map([[1, 'one']]), set: new Set(['a']), list: [undefined, 1] },
      },
    });
    expect(entry.changes).toEqual({
      oldValue: { at: '2024-05-06T07:08:09.010Z', big: '18446744073709551616', nan: null },
      newValue: { map: { 1: 'one' }, set: ['a'], list: [null, 1] },
    });
    expect(Object.hasOwn(entry.changes?.oldValue ?? {}, 'gone')).toBe(false);
  });

  it('takes the actor and request metadata from the context; the call wins', async () => {
    const service = new EventLogService(memoryStorage());
    const ctx = {
      actor: { id: 7, fullName: 'John Doe' },
      ip: '203.0.113.9',
      userAgent: 'curl/8',
      requestId: 'req-1',
      metadata: { tenant: 'a', source: 'context' },
    };
    const [fromContext, overridden, noActor] = await runWithContext(ctx, () =>
      Promise.all([
        service.log(base),
        service.log({
          ...base,
          actor: { id: 'u2', label: 'Ann' },
          metadata: { source: 'call', ip: '198.51.100.1' },
        }),
        service.log({ ...base, actor: null }),
      ]),
    );
    expect(fromContext).toMatchObject({
      actorId: '7',
      actorLabel: 'John Doe',
      metadata: {
        ip: '203.0.113.9',
        userAgent: 'curl/8',
        requestId: 'req-1',
        tenant: 'a',
        source: 'context',
      },
    });
    expect(overridden).toMatchObject({
      actorId: 'u2',
      actorLabel: 'Ann',
      metadata: { ip: '198.51.100.1', requestId: 'req-1', tenant: 'a', source: 'call' },
    });
    expect(noActor.actorId).toBeNull();
    expect((await service.log(base)).metadata).toBeNull();
  });

  it('masks secrets in changes, values, metadata and the message by default', async () => {
    const input: LogInput = {
      ...base,
      template: 'Password of {user__name} set to {user__password}',
      values: { user__name: { name: 'ann' }, user__password: { password: 'hunter2' } },
      changes: {
        oldValue: { password: 'old-secret', nested: [{ apiKey: 'k1' }] },
        newValue: { password: 'new-secret', nested: [{ apiKey: 'k2' }] },
      },
      metadata: { authorization: 'Bearer abc', note: 'kept' },
    };
    const entry = await new EventLogService(memoryStorage()).log(input);
    const stored = JSON.stringify(entry);
    for (const secret of ['hunter2', 'old-secret', 'new-secret', 'k1', 'k2', 'Bearer abc']) {
      expect(stored).not.toContain(secret);
    }
    expect(entry.changes?.newValue.password).toBe(DEFAULT_MASK);
    expect(entry.metadata).toEqual({ authorization: DEFAULT_MASK, note: 'kept' });
    expect(entry.message).toBe(`Password of ann set to ${DEFAULT_MASK}`);

    const open = await new EventLogService(memoryStorage(), { redact: false }).log(input);
    expect(open.changes?.newValue.password).toBe('new-secret');
    expect(open.metadata?.authorization).toBe('Bearer abc');
  });

  it('uses the clock unless the input has a timestamp, and custom resolvers', async () => {
    const now = new Date('2030-01-01T00:00:00.000Z');
    const service = new EventLogService(memoryStorage(), {
      clock: () => now,
      resolveObject: (o) => (typeof o === 'string' ? { type: 'Slug', id: o } : null),
      resolveActor: () => ({ id: 'system', label: null }),
    });
    const a = await service.log({ ...base, object: 'home-page' });
    expect(a).toMatchObject({ timestamp: now, objectType: 'Slug', objectId: 'home-page' });
    expect(a.actorId).toBe('system');
    const then = new Date('2020-02-02T00:00:00.000Z');
    expect((await service.log({ ...base, timestamp: then })).timestamp).toEqual(then);
  });

  it('a retried eventId returns the stored entry, also inside a transaction', async () => {
    const storage = memoryStorage();
    const service = new EventLogService(storage);
    const input = { ...base, eventId: 'evt-1' };
    const first = await service.log(input);
    expect(await service.log(input)).toEqual(first);
    const again = await storage.transaction((tx) =>
      service.logMany([input, { ...base, eventId: 'evt-2' }, { ...input }], { transaction: tx }),
    );
    expect(again[0]).toEqual(first);
    expect(again[2]).toEqual(first);
    expect(again[1]?.eventId).toBe('evt-2');
    expect((await service.list({ withCount: true })).count).toBe(2);
  });

  it('createDiffSchema is available statically and on the instance, masking by default', () => {
    const changes = EventLogService.createDiffSchema({ a: 1, token: 'x' }, { a: 2, token: 'y' });
    expect(changes.newValue).toEqual({ a: 2, token: DEFAULT_MASK });
    const open = new EventLogService(memoryStorage(), { redact: false });
    expect(open.createDiffSchema({ token: 'x' }, { token: 'y' }).newValue).toEqual({ token: 'y' });
  });
});

/**
 * A storage that records its calls and fails on demand, wrapped around memoryStorage: how the
 * tests count round trips and inject driver failures.
 */
function instrumented(initialFailure?: unknown) {
  const inner = memoryStorage();
  const calls: string[] = [];
  const control = { fail: initialFailure };
  const run = async <T>(name: string, fn: () => Promise<T>) => {
    calls.push(name);
    if (control.fail !== undefined) throw control.fail;
    return fn();
  };
  const storage: EventLogStorage<MemoryTransaction> = {
    name: 'instrumented',
    capabilities: { transactions: true },
    insert: (e, o) => run('insert', () => inner.insert(e, o)),
    find: (q) => run('find', () => inner.find(q)),
    get: (id) => run('get', () => inner.get(id)),
    deleteBefore: (c, f) => run('deleteBefore', () => inner.deleteBefore(c, f)),
  };
  return { storage, calls, control };
}

describe('EventLogService storage calls', () => {
  it('logMany() makes exactly one insert call (counted through a wrapper storage)', async () => {
    const { storage, calls } = instrumented();
    const service = new EventLogService(storage);
    const entries = await service.logMany(
      Array.from({ length: 25 }, (_, i) => ({ ...base, template: `n${i}` })),
    );
    expect(calls).toEqual(['insert']);
    expect(entries.map((e) => e.message)).toEqual(Array.from({ length: 25 }, (_, i) => `n${i}`));
    expect(await service.logMany([])).toEqual([]);
    expect(calls).toEqual(['insert']);
  });

  it('wraps driver failures in StorageError naming the adapter, with the cause', async () => {
    const cause = new Error('connect ECONNREFUSED');
    const service = new EventLogService(instrumented(cause).storage);
    const calls: [Promise<unknown>, string][] = [
      [service.log(base), 'insert'],
      [service.list(), 'find'],
      [service.get('1'), 'get'],
      [service.purge({ before: new Date() }), 'deleteBefore'],
    ];
    for (const [call, operation] of calls) {
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ adapter: 'instrumented', operation, cause });
    }
  });

  it('keeps working once a failed backend is back', async () => {
    const { storage, control } = instrumented(new Error('database is down'));
    const service = new EventLogService(storage);
    await expect(service.log(base)).rejects.toBeInstanceOf(StorageError);
    control.fail = undefined;
    const entry = await service.log(base);
    expect(await service.get(entry.id)).toEqual(entry);
    expect((await service.list({ withCount: true })).count).toBe(1);
  });

  it('lets a ValidationError from the adapter through unchanged', async () => {
    const refusal = ValidationError.field('cursor', 'is not a cursor returned by this API');
    const service = new EventLogService(instrumented(refusal).storage);
    expect(await service.list().catch((e: unknown) => e)).toBe(refusal);
  });

  it('validates before touching storage', async () => {
    const { storage, calls } = instrumented();
    const service = new EventLogService(storage);
    await expect(service.list({ limit: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(service.get('')).rejects.toBeInstanceOf(ValidationError);
    await expect(service.purge({ before: new Date('nope') })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(service.listForObject(null)).rejects.toBeInstanceOf(ValidationError);
    expect(calls).toEqual([]);
  });
});

describe('list() refuses U+0000 in query strings before any storage sees it', () => {
  it.each([
    ['search', { search: 'a\u0000b' }],
    ['tool', { tool: 'x\u0000' }],
    ['actorId', { actorId: '\u0000' }],
    ['objectId', { objectType: 'Item', objectId: '1\u0000' }],
  ])('%s', async (field, query) => {
    const service = new EventLogService(memoryStorage());
    const error = await service.list(query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.path[0]).toBe(field);
  });
});
