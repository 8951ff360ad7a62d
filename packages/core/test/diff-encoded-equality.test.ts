import { createDiffSchema } from '@eventlog/core';
import { describe, expect, it } from 'vitest';

// Values that are neither plain data nor Dates (Maps, Sets, boxed primitives, typed arrays) are
// compared by their encodings. These pairs encode to a primitive against an object, or an object
// against an array with the same keys, which the structural comparison must still tell apart.
//
// Surviving mutants of `diff/equal.ts` (Stryker, scoped to the diff tests) left as equivalent:
// - `i <= a.length` in the encoded-array loop and `i <= n` in `equalArrays`: one step past the
//   end reads undefined on both sides, which is equal.
// - `x !== y` before `equalValues` as true, and `a === b` first in `equalValues` as false: the
//   walk finds identical values equal anyway.
// - the fast exits of `equalValues` (two different strings, booleans or finite numbers; a plain
//   object or array against a primitive) made false or weakened: the encoded comparison that
//   follows gives the same false.
// - `loose = false` as true, and the in-order key tracking of `equalObjects` (`at`, `held`)
//   weakened: both only skip the final count of `b`'s present keys, which gives the same answer.
// Not equivalent, not yet killed: the `guard.ownOnly` checks of `equalObjects` (they matter only
// once Object.prototype holds an enumerable key), and `held = true` (wrong only when `b` has the
// key as an own non-enumerable property) — both reached only through a secret's comparison.

const MASK = '[REDACTED]';
const none = { oldValue: {}, newValue: {} };

function differs(a: unknown, b: unknown, ea: unknown, eb: unknown): void {
  expect(createDiffSchema({ v: a }, { v: b })).toEqual({
    oldValue: { v: ea },
    newValue: { v: eb },
  });
  expect(createDiffSchema({ v: b }, { v: a })).toEqual({
    oldValue: { v: eb },
    newValue: { v: ea },
  });
  const masked = { oldValue: { password: MASK }, newValue: { password: MASK } };
  expect(createDiffSchema({ password: a }, { password: b })).toEqual(masked);
  expect(createDiffSchema({ password: [a] }, { password: [b] })).toEqual(masked);
}

describe('createDiffSchema — values compared by their encodings', () => {
  it('tells a primitive encoding from an object encoding', () => {
    differs(new Number(1), new Number(2), 1, 2);
    differs(new Number(1), new Map(), 1, {});
    differs(new Map(), new Date(Number.NaN), {}, null);
    differs(new String(''), new Set(), '', []);
    differs(Int16Array.from([1]), new Set([{}]), [1], [{}]);
  });

  it('tells an object encoding from an array encoding with the same keys', () => {
    differs(new Map([['0', 'a']]), new Set(['a']), { 0: 'a' }, ['a']);
    differs(new Map(), new Set(), {}, []);
  });

  it('finds equal encodings equal', () => {
    expect(
      createDiffSchema({ password: new Map([['0', 1]]) }, { password: new Map([['0', 1]]) }),
    ).toEqual(none);
    expect(
      createDiffSchema({ password: new Set([1]) }, { password: Int16Array.from([1]) }),
    ).toEqual(none);
  });
});
