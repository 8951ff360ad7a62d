import { createDiffSchema, DiffError, type DiffOptions } from '@eventlog/core';
import { describe, expect, it } from 'vitest';

// Exact results of `createDiffSchema` for pairs chosen one by one: what is equal under the stored
// encoding across types, and what each side then holds (top-level and deep, excluded and secret
// keys at any depth, key order, the depth limit on every path).

const MASK = '[REDACTED]';
const none = { oldValue: {}, newValue: {} };
/** JSON text that tells -0 from 0 and keeps key order. */
const text = (v: unknown) => JSON.stringify(v, (_k, x) => (Object.is(x, -0) ? '-0 (!)' : x));
const exactly = (d: unknown, want: unknown) => expect(text(d)).toBe(text(want));

/** The diff of two records holding `a` and `b` at key `v`, with an unchanged sibling. */
const at = (a: unknown, b: unknown, opts?: DiffOptions) =>
  createDiffSchema({ id: 1, v: a }, { id: 1, v: b }, opts);
/** The same, with the value also behind a secret key: compared by value, written as the mask. */
function equalBothWays(a: unknown, b: unknown): void {
  for (const opts of [undefined, { deep: true }]) {
    exactly(at(a, b, opts), none);
    exactly(at(b, a, opts), none);
    exactly(createDiffSchema({ password: a }, { password: b }, opts), none);
    exactly(at([a], [b], opts), none);
    exactly(at({ w: a }, { w: b }, opts), none);
  }
}
/** `a` and `b` differ, written whole as `ea` and `eb` (deep mode too unless both are objects). */
function differ(a: unknown, b: unknown, ea: unknown, eb: unknown, objects = false): void {
  for (const opts of objects ? [undefined] : [undefined, { deep: true }]) {
    exactly(at(a, b, opts), { oldValue: { v: ea }, newValue: { v: eb } });
    exactly(at(b, a, opts), { oldValue: { v: eb }, newValue: { v: ea } });
    exactly(createDiffSchema({ password: a }, { password: b }, opts), {
      oldValue: { password: MASK },
      newValue: { password: MASK },
    });
    exactly(at([a, 1], [b, 1], opts), { oldValue: { v: [ea, 1] }, newValue: { v: [eb, 1] } });
  }
}

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
  get sum(): number {
    return this.x + this.y;
  }
}

describe('createDiffSchema — equal and unequal across types', () => {
  it('NaN and ±Infinity are null; -0 is 0, and written as 0', () => {
    equalBothWays(Number.NaN, null);
    equalBothWays(Number.NaN, Number.POSITIVE_INFINITY);
    equalBothWays(Number.NEGATIVE_INFINITY, null);
    equalBothWays(-0, 0);
    differ(Number.NaN, 0, null, 0);
    differ(-0, 1, 0, 1);
    differ(null, '', null, '');
    differ(0, false, 0, false);
    differ(1, '1', 1, '1');
    exactly(createDiffSchema({}, { z: -0, a: [-0] }), {
      oldValue: {},
      newValue: { z: 0, a: [0] },
    });
  });

  it('Dates by time, equal to their ISO string; an invalid Date is null', () => {
    const iso = '2001-09-09T01:46:40.000Z';
    const t = Date.parse(iso);
    equalBothWays(new Date(t), new Date(t));
    equalBothWays(new Date(t), iso);
    equalBothWays(new Date(Number.NaN), null);
    equalBothWays(new Date(Number.NaN), new Date(Number.NaN));
    differ(new Date(t), new Date(t + 1), iso, '2001-09-09T01:46:40.001Z');
    differ(new Date(Number.NaN), new Date(t), null, iso);
    differ(new Date(t), t, iso, t);
  });

  it('BigInt as its decimal text; boxed primitives as themselves', () => {
    equalBothWays(12n, '12');
    equalBothWays(new String('x'), 'x');
    equalBothWays(new Number(2), 2);
    differ(12n, 12, '12', 12);
  });

  it('arrays and objects never equal each other, nor a primitive', () => {
    differ([], {}, [], {});
    differ(['a'], { 0: 'a' }, ['a'], { 0: 'a' });
    differ([], null, [], null);
    differ({}, null, {}, null);
    differ([1], 1, [1], 1);
    differ({ a: 1 }, 'x', { a: 1 }, 'x');
    differ([1, 2], [1], [1, 2], [1]);
    differ([1], [1, 2], [1], [1, 2]);
  });

  it('a hole, undefined and a function in an array are null', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    const sparse = [, 1];
    equalBothWays(sparse, [null, 1]);
    equalBothWays(sparse, [undefined, 1]);
    equalBothWays([() => 1], [null]);
    differ(sparse, [0, 1], [null, 1], [0, 1]);
    exactly(createDiffSchema({}, { s: sparse }), { oldValue: {}, newValue: { s: [null, 1] } });
  });

  it('a null-prototype object, a Map and a class instance like a plain object', () => {
    const bare = Object.assign(Object.create(null), { a: 1, b: [2] });
    equalBothWays(bare, { a: 1, b: [2] });
    equalBothWays(
      new Map<string, unknown>([
        ['a', 1],
        ['b', [2]],
      ]),
      { b: [2], a: 1 },
    );
    equalBothWays(new Point(1, 2), { x: 1, y: 2 });
    differ(new Point(1, 2), { x: 1, y: 2, sum: 3 }, { x: 1, y: 2 }, { x: 1, y: 2, sum: 3 }, true);
    differ(new Map([['a', 1]]), { a: 2 }, { a: 1 }, { a: 2 }, true);
    differ(bare, { a: 1 }, { a: 1, b: [2] }, { a: 1 }, true);
    exactly(createDiffSchema(bare, { a: 1 }), { oldValue: { b: [2] }, newValue: {} });
  });

  it('Sets and typed arrays as arrays; bytes as base64', () => {
    equalBothWays(new Set([1, 'a']), [1, 'a']);
    equalBothWays(Int16Array.from([1, -2]), [1, -2]);
    equalBothWays(Float64Array.from([Number.NaN, -0]), [null, 0]);
    equalBothWays(Uint8Array.from([1, 2]), 'AQI=');
    differ(new Set([1, 2]), [2, 1], [1, 2], [2, 1]);
    differ(Int16Array.from([1]), [2], [1], [2]);
  });

  it('reads getters; ignores inherited and non-enumerable properties', () => {
    const getter = Object.defineProperty({ a: 1 }, 'b', { get: () => 2, enumerable: true });
    equalBothWays(getter, { a: 1, b: 2 });
    const hidden = Object.defineProperty({ a: 1 }, 'b', { value: 2, enumerable: false });
    equalBothWays(hidden, { a: 1 });
    differ(getter, { a: 1, b: 3 }, { a: 1, b: 2 }, { a: 1, b: 3 }, true);
    differ(hidden, { a: 1, b: 2 }, { a: 1 }, { a: 1, b: 2 }, true);
  });

  it('undefined, functions and symbols are absent keys', () => {
    equalBothWays({ a: 1, u: undefined }, { a: 1 });
    equalBothWays({ a: 1, f: () => 1 }, { a: 1, s: Symbol('s') });
    differ({ a: 1, u: undefined }, { a: 1, u: null }, { a: 1 }, { a: 1, u: null }, true);
    exactly(createDiffSchema({ a: 1, u: undefined }, { b: () => 1, a: 1 }), none);
    exactly(createDiffSchema({ u: undefined }, { u: 1 }), { oldValue: {}, newValue: { u: 1 } });
    exactly(createDiffSchema({ u: 1 }, { u: () => 1 }), { oldValue: { u: 1 }, newValue: {} });
  });
});

describe('createDiffSchema — what each side holds', () => {
  it('keeps key order: the old side in the old order, the new side in the new one', () => {
    const d = createDiffSchema({ b: 1, a: 1, r: 0 }, { c: 2, a: 2, b: 2 });
    exactly(d, { oldValue: { b: 1, a: 1, r: 0 }, newValue: { b: 2, a: 2, c: 2 } });
    exactly(createDiffSchema({ v: { a: 1, b: 1 } }, { v: { b: 1, a: 2 } }), {
      oldValue: { v: { a: 1, b: 1 } },
      newValue: { v: { b: 1, a: 2 } },
    });
  });

  it('ignores excluded keys at every level, in objects, arrays, Maps and instances', () => {
    for (const excludeKeys of [['updatedAt'], ['updatedAt', 'seen']]) {
      for (const deep of [false, true]) {
        const opts = { excludeKeys, deep };
        exactly(createDiffSchema({ updatedAt: 1 }, { updatedAt: 2 }, opts), none);
        exactly(at({ updatedAt: 1, x: 1 }, { x: 1, updatedAt: 2 }, opts), none);
        exactly(at([{ updatedAt: 1 }], [{}], opts), none);
        exactly(at(new Map([['updatedAt', 1]]), {}, opts), none);
        exactly(
          at({ seen: 1, updatedAt: 1 }, { updatedAt: 3 }, opts),
          excludeKeys[1]
            ? none
            : {
                oldValue: { v: { seen: 1 } },
                newValue: { v: {} },
              },
        );
        exactly(at({ updatedAt: 1, x: 1 }, { updatedAt: 2, x: 2 }, opts), {
          oldValue: { v: { x: 1 } },
          newValue: { v: { x: 2 } },
        });
        exactly(createDiffSchema({ a: 1, updatedAt: 1 }, { updatedAt: 1, b: 2 }, opts), {
          oldValue: { a: 1 },
          newValue: { b: 2 },
        });
      }
    }
  });

  it('masks secret keys at every depth, on both sides, and compares their real values', () => {
    const a = { user: { name: 'x', password: 'p1' }, list: [{ token: 't' }] };
    const b = { user: { name: 'x', password: 'p2' }, list: [{ token: 't' }] };
    const masked = { name: 'x', password: MASK };
    exactly(createDiffSchema(a, b), { oldValue: { user: masked }, newValue: { user: masked } });
    exactly(createDiffSchema(a, b, { deep: true }), {
      oldValue: { user: { password: MASK } },
      newValue: { user: { password: MASK } },
    });
    exactly(createDiffSchema(a, b, { redact: false, deep: true }), {
      oldValue: { user: { password: 'p1' } },
      newValue: { user: { password: 'p2' } },
    });
    exactly(createDiffSchema(a, b, { redact: { mask: '*' } }), {
      oldValue: { user: { name: 'x', password: '*' } },
      newValue: { user: { name: 'x', password: '*' } },
    });
    // a changed non-secret next to an unchanged secret: the secret is still masked
    const c = { user: { name: 'y', password: 'p1' }, list: [{ token: 't' }, 1] };
    exactly(createDiffSchema(a, c), {
      oldValue: { user: masked, list: [{ token: MASK }] },
      newValue: { user: { name: 'y', password: MASK }, list: [{ token: MASK }, 1] },
    });
    exactly(createDiffSchema({ password: { a: 1 } }, {}), {
      oldValue: { password: MASK },
      newValue: {},
    });
    exactly(createDiffSchema({}, { password: undefined, token: 1 }), {
      oldValue: {},
      newValue: { token: MASK },
    });
  });

  it('top-level writes whole values; deep mirrors objects down to the changed leaves', () => {
    const a = { p: { q: { r: 1, s: [1] }, t: 1 }, k: 1 };
    const b = { p: { q: { r: 2, s: [1] }, t: 1, u: 1 }, k: 1 };
    exactly(createDiffSchema(a, b), { oldValue: { p: a.p }, newValue: { p: b.p } });
    exactly(createDiffSchema(a, b, { deep: true }), {
      oldValue: { p: { q: { r: 1 } } },
      newValue: { p: { q: { r: 2 }, u: 1 } },
    });
    // a nested removal leaves {} on the new side; an array is a leaf, written whole
    exactly(createDiffSchema({ p: { x: 1 }, l: [1, 2] }, { p: {}, l: [1, 3] }, { deep: true }), {
      oldValue: { p: { x: 1 }, l: [1, 2] },
      newValue: { p: {}, l: [1, 3] },
    });
    // a Map or instance is walked as its encoding; a Date is a leaf
    exactly(
      createDiffSchema(
        {
          m: new Map([
            ['x', 1],
            ['y', 1],
          ]),
        },
        { m: { x: 2, y: 1 } },
        { deep: true },
      ),
      {
        oldValue: { m: { x: 1 } },
        newValue: { m: { x: 2 } },
      },
    );
    exactly(createDiffSchema({ d: new Date(0) }, { d: { x: 1 } }, { deep: true }), {
      oldValue: { d: new Date(0).toISOString() },
      newValue: { d: { x: 1 } },
    });
  });
});

describe('createDiffSchema — the depth limit on every path', () => {
  const nest = (n: number, leaf: unknown, arrays: boolean): unknown => {
    let v = leaf;
    for (let i = 0; i < n; i++) v = arrays ? [v] : { k: v };
    return v;
  };
  it('allows containers down to depth maxDepth (the record is 0), for equal and changed pairs', () => {
    for (const arrays of [false, true]) {
      for (let n = 1; n <= 4; n++) {
        for (let maxDepth = 1; maxDepth <= 4; maxDepth++) {
          for (const deep of [false, true]) {
            for (const k of ['v', 'password']) {
              for (const leaf of [1, 2]) {
                const run = () =>
                  createDiffSchema(
                    { [k]: nest(n, 1, arrays) },
                    { [k]: nest(n, leaf, arrays) },
                    {
                      maxDepth,
                      deep,
                    },
                  );
                if (n > maxDepth) expect(run).toThrow(DiffError);
                else expect(run).not.toThrow();
              }
            }
          }
        }
      }
    }
    // an added or removed value is encoded under the same limit
    expect(() => createDiffSchema({}, { v: nest(2, 1, false) }, { maxDepth: 1 })).toThrow(
      DiffError,
    );
    expect(() => createDiffSchema({ v: nest(2, 1, true) }, {}, { maxDepth: 1 })).toThrow(DiffError);
    expect(createDiffSchema({}, { v: nest(1, 1, false) }, { maxDepth: 1 }).newValue).toEqual({
      v: { k: 1 },
    });
  });
});
