import { createDiffSchema } from '@eventlog/core';
import { describe, expect, it } from 'vitest';

// A secret is written as the mask on both sides, so whether it changed is decided by comparing
// its real values under the stored encoding, without encoding anything: these cases pin that
// comparison (key order, absent and excluded keys, arrays, Dates, NaN, odd types).

const MASK = '[REDACTED]';
const changed = { oldValue: { password: MASK }, newValue: { password: MASK } };
const same = { oldValue: {}, newValue: {} };

/** The diff of two records that differ only in their `password` value. */
const diff = (a: unknown, b: unknown, opts?: { excludeKeys?: string[]; deep?: boolean }) =>
  createDiffSchema({ id: 1, password: a }, { id: 1, password: b }, opts);

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe('createDiffSchema — a secret compared by its real value', () => {
  it('sees equal objects whatever their key order, undefined or excluded keys', () => {
    expect(diff({ a: 1, b: 2 }, { b: 2, a: 1 })).toEqual(same);
    expect(diff({ a: 1 }, { a: 1, u: undefined })).toEqual(same);
    expect(diff({ a: 1, u: undefined }, { a: 1 })).toEqual(same);
    const opts = { excludeKeys: ['updatedAt'] };
    expect(diff({ a: 1, updatedAt: 1 }, { a: 1, updatedAt: 2 }, opts)).toEqual(same);
    expect(diff({ a: 1 }, { a: 1, updatedAt: 2 }, opts)).toEqual(same);
    expect(diff({ updatedAt: 2, a: 1 }, { a: 1 }, opts)).toEqual(same);
  });

  it('sees an added, removed or changed key, also where one side has undefined', () => {
    expect(diff({ a: 1 }, { a: 1, c: 3 })).toEqual(changed);
    expect(diff({ a: 1, c: 3 }, { a: 1 })).toEqual(changed);
    expect(diff({ a: 1, u: undefined }, { a: 1, u: 2 })).toEqual(changed);
    expect(diff({ a: 1, u: 2 }, { a: 1, u: undefined })).toEqual(changed);
    expect(diff({ b: 2, a: 1 }, { a: 1, b: 3 })).toEqual(changed);
    expect(diff({ a: { b: 1 } }, { a: { b: 2 } })).toEqual(changed);
    expect(diff({ a: 1 }, { a: 1, updatedAt: 2 }, { excludeKeys: ['updatedAt', 'x'] })).toEqual(
      same,
    );
    expect(diff({ a: 1 }, { a: 1, c: 2 }, { excludeKeys: ['updatedAt', 'x'] })).toEqual(changed);
  });

  it('compares arrays item by item and by length', () => {
    expect(diff([1, { a: 1 }], [1, { a: 1 }])).toEqual(same);
    expect(diff([1, { a: 1 }], [1, { a: 2 }])).toEqual(changed);
    expect(diff([1, 2], [1, 2, 3])).toEqual(changed);
    expect(diff([1, 2, 3], [1, 2])).toEqual(changed);
    expect(diff({ x: {} }, { x: [] })).toEqual(changed);
    expect(diff({ x: [] }, { x: {} })).toEqual(changed);
    expect(diff({ x: {} }, { x: 'a' })).toEqual(changed);
    expect(diff({ x: 'a' }, { x: [] })).toEqual(changed);
  });

  it('compares Dates by time, NaN as null, and other types by their encoding', () => {
    expect(diff({ d: new Date(Number.NaN) }, { d: new Date(Number.NaN) })).toEqual(same);
    expect(diff({ d: new Date(0) }, { d: new Date(0) })).toEqual(same);
    expect(diff({ d: new Date(0) }, { d: new Date(1) })).toEqual(changed);
    expect(diff({ d: new Date(Number.NaN) }, { d: new Date(0) })).toEqual(changed);
    expect(diff({ d: new Date(0) }, { d: new Date(0).toISOString() })).toEqual(same);
    expect(diff({ n: Number.NaN }, { n: null })).toEqual(same);
    expect(diff({ n: 1 }, { n: '1' })).toEqual(changed);
    expect(diff({ n: true }, { n: 1 })).toEqual(changed);
    expect(diff({ n: 1n }, { n: 1n })).toEqual(same);
    expect(diff({ p: new Point(1, 2) }, { p: new Point(1, 2) })).toEqual(same);
    expect(diff({ p: new Point(1, 2) }, { p: new Point(1, 3) })).toEqual(changed);
    expect(diff({ p: new Point(1, 2) }, { p: { x: 1, y: 2 } })).toEqual(same);
    expect(diff({ m: new Map([['a', 1]]) }, { m: new Map([['a', 1]]) })).toEqual(same);
    expect(diff({ m: new Map([['a', 1]]) }, { m: new Map([['a', 2]]) })).toEqual(changed);
    expect(diff({ m: new Map([['a', 1]]) }, { m: new Map([['b', 1]]) })).toEqual(changed);
    const two = new Map([
      ['a', 1],
      ['b', 2],
    ]);
    expect(diff({ m: new Map([['a', 1]]) }, { m: two })).toEqual(changed);
    expect(diff({ s: new Set([1, 2]) }, { s: new Set([1, 2, 3]) })).toEqual(changed);
    expect(diff({ s: new Set([1, 2]) }, { s: new Set([1, 2]) })).toEqual(same);
    expect(diff({ s: new Set([1]) }, { s: new Map([['a', 1]]) })).toEqual(changed);
    expect(diff({ s: new Set([1, 2]) }, { s: [1, 2] })).toEqual(same);
  });

  it('keeps the depth limit while comparing', () => {
    const deep = (n: number): unknown => (n === 0 ? 1 : { x: deep(n - 1) });
    // The secret's value holds three levels of nesting: maxDepth 3 admits it, 2 does not.
    expect(diff(deep(3), deep(3), { excludeKeys: [] })).toEqual(same);
    expect(() =>
      createDiffSchema({ password: deep(3) }, { password: deep(3) }, { maxDepth: 2 }),
    ).toThrow(/maxDepth/);
    expect(createDiffSchema({ password: deep(3) }, { password: deep(3) }, { maxDepth: 3 })).toEqual(
      same,
    );
    const arr = (n: number): unknown => (n === 0 ? 1 : [arr(n - 1)]);
    expect(() =>
      createDiffSchema({ password: arr(3) }, { password: arr(3) }, { maxDepth: 2 }),
    ).toThrow(/maxDepth/);
    expect(createDiffSchema({ password: arr(3) }, { password: arr(3) }, { maxDepth: 3 })).toEqual(
      same,
    );
  });
});
