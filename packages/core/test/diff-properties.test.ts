import { type Changes, createDiffSchema, DiffError } from '@eventlog/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { toJsonValue } from '../src/json/to-json-value';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObj = { [k: string]: Json };

const protoKeysBefore = Object.getOwnPropertyNames(Object.prototype).sort();

afterAll(() => {
  // Nothing the diff did may have reached Object.prototype.
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeysBefore);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

/** Builds an object with own data keys only, so `__proto__` stays a key, as JSON.parse does. */
function objectOf(entries: [string, Json][]): JsonObj {
  const o: JsonObj = {};
  for (const [k, v] of entries) {
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return o;
}

const key = fc.oneof(
  fc.string({ maxLength: 3 }),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'prototype', 'polluted', 'a', 'b'),
);
const { value: jsonValue, obj: jsonObject } = fc.letrec<{ value: Json; obj: JsonObj }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -3, max: 3 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x)),
    fc.string({ maxLength: 3 }),
    fc.array(tie('value'), { maxLength: 4 }),
    tie('obj'),
  ),
  obj: fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map(objectOf),
}));

/**
 * Follows `path` (indices into the containers found at each level) from `root` and edits what
 * it reaches: sets or deletes `k` in an object, replaces or drops an item of an array.
 */
function editAt(root: JsonObj, path: number[], k: string, v: Json | null): void {
  let cur: JsonObj | Json[] = root;
  for (const i of path) {
    const inner: (JsonObj | Json[])[] = Object.values(cur).filter(
      (x): x is JsonObj | Json[] => typeof x === 'object' && x !== null,
    );
    if (inner.length === 0) break;
    cur = inner[i % inner.length]!;
  }
  if (Array.isArray(cur)) {
    if (v === null) cur.pop();
    else cur[(path[0] ?? 0) % (cur.length + 1)] = v;
  } else if (v === null) {
    delete cur[k];
  } else {
    set(cur, k, v);
  }
}

/** A pair where `b` is often a small edit of `a`, so changes are near-misses, not wholesale. */
const pair = fc.oneof(
  fc.tuple(jsonObject, jsonObject),
  fc
    .tuple(jsonObject, fc.array(fc.tuple(key, fc.option(jsonValue)), { maxLength: 3 }))
    .map(([a, edits]): [JsonObj, JsonObj] => {
      const b = clone(a);
      for (const [k, v] of edits) {
        if (v === null) delete b[k];
        else set(b, k, v);
      }
      return [a, b];
    }),
  // Edits deep inside nested objects and arrays: equal parts around a changed leaf.
  fc
    .tuple(
      jsonObject,
      fc.array(fc.tuple(fc.array(fc.nat(), { maxLength: 4 }), key, fc.option(jsonValue)), {
        minLength: 1,
        maxLength: 3,
      }),
    )
    .map(([a, edits]): [JsonObj, JsonObj] => {
      const b = clone(a);
      for (const [path, k, v] of edits) editAt(b, path, k, v);
      return [a, b];
    }),
);

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function isObj(v: unknown): v is JsonObj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function set(o: JsonObj, k: string, v: Json): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Applies a diff: deletes keys only on the old side, sets the new side (recursing in deep mode). */
function applyDiff(target: JsonObj, oldSide: JsonObj, newSide: JsonObj, deep: boolean): JsonObj {
  for (const k of Object.keys(oldSide)) if (!Object.hasOwn(newSide, k)) delete target[k];
  for (const k of Object.keys(newSide)) {
    const cur = Object.hasOwn(target, k) ? target[k] : undefined;
    const next = newSide[k]!;
    if (deep && isObj(cur) && isObj(next)) {
      const o = oldSide[k];
      applyDiff(cur, isObj(o) && Object.hasOwn(oldSide, k) ? o : {}, next, true);
    } else {
      set(target, k, clone(next));
    }
  }
  return target;
}

const runs = { numRuns: 300 };

describe('createDiffSchema — properties', () => {
  for (const deep of [false, true]) {
    const mode = deep ? 'deep' : 'top-level';

    it(`${mode}: diff(a, a) and diff(a, copy of a) are empty`, () => {
      fc.assert(
        fc.property(jsonObject, (a) => {
          const empty = { oldValue: {}, newValue: {} };
          expect(createDiffSchema(a, a, { deep })).toEqual(empty);
          expect(createDiffSchema(a, clone(a), { deep })).toEqual(empty);
        }),
        runs,
      );
    });

    it(`${mode}: applying diff(a, b) to a gives b, and the inputs are untouched`, () => {
      fc.assert(
        fc.property(pair, ([a, b]) => {
          const snapshot = JSON.stringify([a, b]);
          const d: Changes = createDiffSchema(a, b, { deep, redact: false });
          expect(JSON.stringify([a, b])).toBe(snapshot);
          const applied = applyDiff(clone(a), d.oldValue as JsonObj, d.newValue as JsonObj, deep);
          expect(applied).toEqual(b);
          // The result survives a JSON round trip unchanged, __proto__ keys included.
          expect(clone(d)).toEqual(d);
        }),
        runs,
      );
    });

    it(`${mode}: applying diff(a, b) backwards to b gives a (the old side is exact too)`, () => {
      fc.assert(
        fc.property(pair, ([a, b]) => {
          const d = createDiffSchema(a, b, { deep, redact: false });
          const back = applyDiff(clone(b), d.newValue as JsonObj, d.oldValue as JsonObj, deep);
          expect(back).toEqual(a);
        }),
        runs,
      );
    });

    it(`${mode}: excluding a key is diffing the records without it at every level`, () => {
      const strip = (v: Json, k: string): Json => {
        if (Array.isArray(v)) return v.map((x) => strip(x, k));
        if (!isObj(v)) return v;
        const o: JsonObj = {};
        for (const [key, x] of Object.entries(v)) if (key !== k) set(o, key, strip(x, k));
        return o;
      };
      fc.assert(
        fc.property(pair, key, ([a, b], k) => {
          const d = createDiffSchema(a, b, { deep, redact: false, excludeKeys: [k] });
          const e = createDiffSchema(strip(a, k), strip(b, k), { deep, redact: false });
          expect(d).toEqual(e);
        }),
        runs,
      );
    });

    it(`${mode}: changed keys appear on both sides, added on the new side, removed on the old`, () => {
      fc.assert(
        fc.property(pair, ([a, b]) => {
          const d = createDiffSchema(a, b, { deep, redact: false });
          for (const k of Object.keys(d.oldValue)) expect(Object.hasOwn(a, k)).toBe(true);
          for (const k of Object.keys(d.newValue)) expect(Object.hasOwn(b, k)).toBe(true);
          for (const k of Object.keys(a)) {
            if (!Object.hasOwn(b, k)) expect(Object.hasOwn(d.oldValue, k)).toBe(true);
          }
        }),
        runs,
      );
    });
  }

  it('top-level: each side holds the exact encoding of its value, key order included', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const d = createDiffSchema(a, b, { redact: false });
        const exact = (side: JsonObj, from: JsonObj): void => {
          for (const k of Object.keys(side)) {
            expect(JSON.stringify(side[k])).toBe(JSON.stringify(toJsonValue(from[k])));
          }
        };
        exact(d.oldValue as JsonObj, a);
        exact(d.newValue as JsonObj, b);
      }),
      runs,
    );
  });

  it('throws nothing but DiffError on arbitrary values, whatever their type', () => {
    let diffed = 0;
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withNullPrototype: true,
          withSparseArray: true,
          withBoxedValues: true,
        }),
        fc.anything({
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withNullPrototype: true,
        }),
        fc.boolean(),
        (a, b, deep) => {
          try {
            const d = createDiffSchema(a, b, { deep });
            expect(clone(d)).toEqual(d);
            diffed++;
          } catch (e) {
            expect(e).toBeInstanceOf(DiffError);
          }
        },
      ),
      runs,
    );
    // A diff that always threw DiffError would pass the property, so some runs must diff: about
    // one in seven does (most arbitrary values are not records), 5% is the floor.
    expect(diffed).toBeGreaterThanOrEqual(runs.numRuns * 0.05);
  });
});
