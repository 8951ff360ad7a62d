import { createDiffSchema, DiffError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';

function nested(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let cur = root;
  for (let i = 0; i < depth; i++) {
    const next: Record<string, unknown> = {};
    cur.x = next;
    cur = next;
  }
  cur.leaf = depth;
  return root;
}

describe('createDiffSchema — seed semantics (top-level)', () => {
  it('reproduces the seed README example', () => {
    const oldData = { name: 'John', status: 'active' };
    const newData = { name: 'John', status: 'inactive' };
    expect(createDiffSchema(oldData, newData, { excludeKeys: ['updated_at'] })).toEqual({
      oldValue: { status: 'active' },
      newValue: { status: 'inactive' },
    });
  });

  it('ignores excluded keys even when they changed', () => {
    const d = createDiffSchema(
      { name: 'John', updated_at: '2024-01-01' },
      { name: 'John', updated_at: '2024-02-02' },
      { excludeKeys: ['updated_at'] },
    );
    expect(d).toEqual({ oldValue: {}, newValue: {} });
  });

  it('puts a removed key on the old side only and an added key on the new side only', () => {
    expect(createDiffSchema({ a: 1, gone: 'x' }, { a: 1, added: 'y' })).toEqual({
      oldValue: { gone: 'x' },
      newValue: { added: 'y' },
    });
  });

  it('compares nested objects and arrays deeply and reports whole top-level values', () => {
    const d = createDiffSchema(
      { same: { a: [1, { b: 2 }] }, changed: { a: [1, { b: 2 }], c: 3 } },
      { same: { a: [1, { b: 2 }] }, changed: { a: [1, { b: 3 }], c: 3 } },
    );
    expect(d).toEqual({
      oldValue: { changed: { a: [1, { b: 2 }], c: 3 } },
      newValue: { changed: { a: [1, { b: 3 }], c: 3 } },
    });
  });

  it('treats key order as irrelevant and undefined as absent', () => {
    expect(createDiffSchema({ a: 1, b: { x: 1, y: 2 } }, { b: { y: 2, x: 1 }, a: 1 })).toEqual({
      oldValue: {},
      newValue: {},
    });
    expect(createDiffSchema({ a: 1, u: undefined }, { a: 1 })).toEqual({
      oldValue: {},
      newValue: {},
    });
    expect(createDiffSchema({ a: undefined }, { a: 2 })).toEqual({
      oldValue: {},
      newValue: { a: 2 },
    });
  });

  it('compares Dates by time and writes them as ISO strings', () => {
    const t = Date.UTC(2024, 0, 2, 3, 4, 5);
    expect(createDiffSchema({ at: new Date(t) }, { at: new Date(t) })).toEqual({
      oldValue: {},
      newValue: {},
    });
    expect(createDiffSchema({ at: new Date(t) }, { at: new Date(t + 1) })).toEqual({
      oldValue: { at: '2024-01-02T03:04:05.000Z' },
      newValue: { at: '2024-01-02T03:04:05.001Z' },
    });
    // Equal under the stored encoding: a Date and its ISO text store the same JSON.
    expect(
      createDiffSchema({ at: new Date(t) }, { at: new Date(t).toISOString() }).newValue,
    ).toEqual({});
  });

  it('is empty for the same object and for a deep-equal copy', () => {
    const a = { n: 1, o: { p: [1, 2, { q: null }] }, d: new Date(0) };
    expect(createDiffSchema(a, a)).toEqual({ oldValue: {}, newValue: {} });
    expect(createDiffSchema(a, structuredClone(a))).toEqual({ oldValue: {}, newValue: {} });
  });

  it('treats null and undefined sides as empty objects (create and delete events)', () => {
    expect(createDiffSchema(null, { a: 1 })).toEqual({ oldValue: {}, newValue: { a: 1 } });
    expect(createDiffSchema({ a: 1 }, undefined)).toEqual({ oldValue: { a: 1 }, newValue: {} });
  });

  it('refuses a side that is not an object', () => {
    expect(() => createDiffSchema(1, {})).toThrow(DiffError);
    expect(() => createDiffSchema({}, [1, 2])).toThrow(DiffError);
  });

  it('never mutates its inputs and shares no references with them', () => {
    const a = { o: { x: 1 }, list: [1, 2] };
    const b = { o: { x: 2 }, list: [1, 3] };
    const before = structuredClone({ a, b });
    const d = createDiffSchema(a, b);
    expect({ a, b }).toEqual(before);
    expect(d.newValue.o).not.toBe(b.o);
    (d.newValue.o as { x: number }).x = 99;
    expect(b.o.x).toBe(2);
  });
});

describe('createDiffSchema — deep mode', () => {
  it('mirrors nested objects down to the changed leaves', () => {
    const d = createDiffSchema(
      { user: { name: 'A', address: { city: 'X', zip: '1' }, tags: ['a'] }, n: 1 },
      { user: { name: 'A', address: { city: 'Y', zip: '1' }, tags: ['a'] }, n: 1 },
      { deep: true },
    );
    expect(d).toEqual({
      oldValue: { user: { address: { city: 'X' } } },
      newValue: { user: { address: { city: 'Y' } } },
    });
  });

  it('writes changed arrays whole and nested removals as {} on the new side', () => {
    const d = createDiffSchema(
      { o: { list: [1, 2, 3], gone: true } },
      { o: { list: [1, 3] } },
      { deep: true },
    );
    expect(d).toEqual({
      oldValue: { o: { list: [1, 2, 3], gone: true } },
      newValue: { o: { list: [1, 3] } },
    });
    expect(createDiffSchema({ o: { gone: 1 } }, { o: {} }, { deep: true })).toEqual({
      oldValue: { o: { gone: 1 } },
      newValue: { o: {} },
    });
  });

  it('replaces whole values when the type changes', () => {
    expect(createDiffSchema({ o: { a: 1 } }, { o: [1] }, { deep: true })).toEqual({
      oldValue: { o: { a: 1 } },
      newValue: { o: [1] },
    });
  });

  it('excludes keys at every level', () => {
    const d = createDiffSchema(
      { o: { updatedAt: 1, v: 1 }, updatedAt: 1 },
      { o: { updatedAt: 2, v: 2 }, updatedAt: 2 },
      { deep: true, excludeKeys: ['updatedAt'] },
    );
    expect(d).toEqual({ oldValue: { o: { v: 1 } }, newValue: { o: { v: 2 } } });
  });

  it('diffs Maps and class instances through their encoding', () => {
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
    }
    const d = createDiffSchema(
      { p: new Point(1, 2), m: new Map([['k', 1]]) },
      { p: new Point(1, 3), m: new Map([['k', 1]]) },
      { deep: true },
    );
    expect(d).toEqual({ oldValue: { p: { y: 2 } }, newValue: { p: { y: 3 } } });
  });
});

describe('createDiffSchema — redaction', () => {
  it('masks changed secrets on both sides, at any depth, by default', () => {
    const d = createDiffSchema(
      { password: 'hunter1', profile: { apiKey: 'k1', name: 'A' }, list: [{ token: 't1' }] },
      { password: 'hunter2', profile: { apiKey: 'k1', name: 'B' }, list: [{ token: 't2' }] },
    );
    expect(d).toEqual({
      oldValue: {
        password: '[REDACTED]',
        profile: { apiKey: '[REDACTED]', name: 'A' },
        list: [{ token: '[REDACTED]' }],
      },
      newValue: {
        password: '[REDACTED]',
        profile: { apiKey: '[REDACTED]', name: 'B' },
        list: [{ token: '[REDACTED]' }],
      },
    });
    expect(JSON.stringify(d)).not.toMatch(/hunter|k1|t1|t2/);
  });

  it('keeps an unchanged secret out of the diff and masks added ones', () => {
    expect(createDiffSchema({ password: 'x' }, { password: 'x', token: 'abc' })).toEqual({
      oldValue: {},
      newValue: { token: '[REDACTED]' },
    });
  });

  it('can be turned off or configured', () => {
    expect(createDiffSchema({ password: 'a' }, { password: 'b' }, { redact: false })).toEqual({
      oldValue: { password: 'a' },
      newValue: { password: 'b' },
    });
    expect(
      createDiffSchema(
        { pin: 1, password: 'a' },
        { pin: 2, password: 'b' },
        {
          redact: { keys: ['pin'], mask: '***' },
        },
      ),
    ).toEqual({ oldValue: { pin: '***', password: 'a' }, newValue: { pin: '***', password: 'b' } });
  });
});

describe('createDiffSchema — options given anew on every call', () => {
  it("honours each call's option values, however often they were seen before", () => {
    const a = { updatedAt: 1, createdAt: 1, pin: 1, v: { updatedAt: 1 } };
    const b = { updatedAt: 2, createdAt: 2, pin: 2, v: { updatedAt: 2 } };
    for (let i = 0; i < 3; i++) {
      expect(createDiffSchema(a, b, { excludeKeys: ['updatedAt', 'createdAt', 'pin'] })).toEqual({
        oldValue: {},
        newValue: {},
      });
      expect(createDiffSchema(a, b, { excludeKeys: ['updatedAt', 'createdAt'] }).newValue).toEqual({
        pin: 2,
      });
      expect(createDiffSchema(a, b, { excludeKeys: ['updatedAt'] }).newValue).toEqual({
        createdAt: 2,
        pin: 2,
      });
      expect(createDiffSchema(a, b, { excludeKeys: ['createdAt'] }).newValue).toEqual({
        updatedAt: 2,
        pin: 2,
        v: { updatedAt: 2 },
      });
      expect(createDiffSchema(a, b, { deep: true, excludeKeys: ['updatedAt'] }).newValue).toEqual({
        createdAt: 2,
        pin: 2,
      });
    }
  });

  it('sees a key list or redact options edited in place between calls', () => {
    const keys = ['updatedAt'];
    const redact = { keys: ['pin'] as string[], mask: '***' };
    const a = { updatedAt: 1, createdAt: 1, pin: 1 };
    const b = { updatedAt: 2, createdAt: 2, pin: 2 };
    expect(createDiffSchema(a, b, { excludeKeys: keys, redact }).newValue).toEqual({
      createdAt: 2,
      pin: '***',
    });
    keys[0] = 'createdAt';
    redact.mask = '###';
    expect(createDiffSchema(a, b, { excludeKeys: keys, redact }).newValue).toEqual({
      updatedAt: 2,
      pin: '###',
    });
    redact.keys = ['createdAt'];
    expect(createDiffSchema(a, b, { excludeKeys: ['pin'], redact }).newValue).toEqual({
      updatedAt: 2,
      createdAt: '###',
    });
  });

  it('keeps the depth limit of each call', () => {
    const deep = { v: nested(10) };
    const deeper = { v: nested(11) };
    expect(() => createDiffSchema(deep, deeper, { maxDepth: 5 })).toThrow(DiffError);
    expect(createDiffSchema(deep, deeper, { maxDepth: 50 }).newValue).toHaveProperty('v');
    expect(() => createDiffSchema(deep, deeper, { maxDepth: 5 })).toThrow(DiffError);
  });
});

describe('createDiffSchema — limits', () => {
  it('gives a DiffError for 10,000-deep nesting, never a stack overflow', () => {
    expect(() => createDiffSchema({ v: nested(10_000) }, { v: nested(10_000) })).toThrow(
      /nested deeper than maxDepth \(64\)/,
    );
    expect(() => createDiffSchema({ v: nested(10_000) }, { v: 1 })).toThrow(DiffError);
    expect(() => createDiffSchema({}, { v: nested(10_000) }, { deep: true })).toThrow(DiffError);
  });

  it('honours a configured maxDepth', () => {
    expect(createDiffSchema({ v: nested(100) }, { v: nested(100) }, { maxDepth: 200 })).toEqual({
      oldValue: {},
      newValue: {},
    });
    expect(() => createDiffSchema({ v: nested(10) }, { v: nested(11) }, { maxDepth: 5 })).toThrow(
      DiffError,
    );
  });

  it('turns a stack overflow from an absurd maxDepth into a DiffError', () => {
    expect(() =>
      createDiffSchema({ v: nested(200_000) }, { v: nested(200_000) }, { maxDepth: 1e9 }),
    ).toThrow(DiffError);
  });

  it('gives a DiffError naming the cycle for cyclic data on either side', () => {
    const a: Record<string, unknown> = { n: 1 };
    a.self = a;
    const b: Record<string, unknown> = { n: 1 };
    b.self = b;
    expect(() => createDiffSchema(a, b)).toThrow(/contains a cycle/);
    expect(() => createDiffSchema({}, { c: a })).toThrow(/contains a cycle/);
    expect(() => createDiffSchema({ c: a }, { c: 1 }, { deep: true })).toThrow(/contains a cycle/);
  });

  it('accepts the same object reached twice (a DAG is not a cycle)', () => {
    const shared = { x: 1 };
    expect(createDiffSchema({}, { a: shared, b: shared })).toEqual({
      oldValue: {},
      newValue: { a: { x: 1 }, b: { x: 1 } },
    });
  });

  it('wraps a throwing getter into a DiffError with the cause', () => {
    const hostile = {
      get boom(): number {
        throw new Error('getter exploded');
      },
    };
    try {
      createDiffSchema({ o: { boom: 1 } }, { o: hostile });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DiffError);
      expect((e as DiffError).cause).toBeInstanceOf(Error);
    }
  });
});

describe('createDiffSchema — a polluted Object.prototype', () => {
  it('still reads own keys only when Object.prototype has an enumerable key', () => {
    // Simulates a polluted runtime (another library's doing); restored before the test ends.
    Object.defineProperty(Object.prototype, 'injected', {
      value: 'x',
      enumerable: true,
      configurable: true,
      writable: true,
    });
    try {
      expect(createDiffSchema({ a: 1 }, { a: 2 })).toEqual({
        oldValue: { a: 1 },
        newValue: { a: 2 },
      });
      expect(
        Object.keys(createDiffSchema({ o: { a: 1 } }, { o: { a: 2 } }).newValue.o as object),
      ).toEqual(['a']);
      expect(createDiffSchema({ a: { b: 1 } }, { a: { b: 1 } }, { deep: true })).toEqual({
        oldValue: {},
        newValue: {},
      });
    } finally {
      delete (Object.prototype as Record<string, unknown>).injected;
    }
    expect(Object.keys(createDiffSchema({}, { a: 1 }).newValue)).toEqual(['a']);
  });
});
