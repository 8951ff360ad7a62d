import { createDiffSchema } from '@eventlog/core';
import { describe, expect, it } from 'vitest';

// A record is stored as its encoding, which holds its own enumerable keys only (what `for...in`
// and `JSON.stringify` see). The diff must describe the change between the two encodings, so a
// key one side holds as a non-enumerable property, or only inherits, is absent on that side:
// reading it (`b[k]`, `k in b`, `hasOwn`) must not make it look present.

/** `o` with `k` as an own non-enumerable property. */
function hidden(o: Record<string, unknown>, k: string, v: unknown): Record<string, unknown> {
  Object.defineProperty(o, k, { value: v, enumerable: false, writable: true, configurable: true });
  return o;
}

/** The encoding the record is stored as (own enumerable keys). */
const enc = (v: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(v));

/** The two encodings without the keys they hold equal (primitives in these cases). */
function changed(a: unknown, b: unknown): { oldValue: object; newValue: object } {
  const ea = enc(a);
  const eb = enc(b);
  for (const k of Object.keys(ea)) {
    if (k in eb && ea[k] === eb[k]) {
      delete ea[k];
      delete eb[k];
    }
  }
  return { oldValue: ea, newValue: eb };
}

type Case = [name: string, old: () => Record<string, unknown>, next: () => Record<string, unknown>];

const CASES: Case[] = [
  [
    'the new side hides an old key and adds another',
    () => ({ x: 1 }),
    () => hidden({ z: 2 }, 'x', 1),
  ],
  ['the new side hides the only key', () => ({ x: 1 }), () => hidden({}, 'x', 1)],
  [
    'the old side hides a key the new side adds',
    () => hidden({ x: 1 }, 'z', 2),
    () => ({ x: 1, z: 2 }),
  ],
  [
    'both sides hide a key the other enumerates',
    () => hidden({ x: 1 }, 'z', 2),
    () => hidden({ z: 2 }, 'x', 1),
  ],
];

describe('createDiffSchema — keys a side does not enumerate', () => {
  for (const [name, a, b] of CASES) {
    it(`top-level: ${name}`, () => {
      expect(createDiffSchema(a(), b())).toEqual(changed(a(), b()));
    });

    it(`nested, both modes: ${name}`, () => {
      const top = createDiffSchema({ id: 1, n: a() }, { id: 1, n: b() });
      expect(top).toEqual({ oldValue: { n: enc(a()) }, newValue: { n: enc(b()) } });
      // Deep mode mirrors the nested object down to its changed keys.
      const { oldValue, newValue } = changed(a(), b());
      expect(createDiffSchema({ id: 1, n: a() }, { id: 1, n: b() }, { deep: true })).toEqual({
        oldValue: { n: oldValue },
        newValue: { n: newValue },
      });
    });
  }

  it('sees the same inside arrays, with excludeKeys', () => {
    const opts = { excludeKeys: ['updatedAt'] };
    for (const [, a, b] of CASES) {
      expect(createDiffSchema({ list: [a()] }, { list: [b()] }, opts)).toEqual({
        oldValue: { list: [enc(a())] },
        newValue: { list: [enc(b())] },
      });
      // The pair compares unequal before anything is encoded (the comparison-only walk).
      expect(createDiffSchema({ list: [{ m: a() }] }, { list: [{ m: b() }] }).newValue).toEqual({
        list: [{ m: enc(b()) }],
      });
    }
  });

  it('does not take a non-enumerable member of Object.prototype for a key', () => {
    // Simulates another library's doing; restored before the test ends.
    Object.defineProperty(Object.prototype, 'x', { value: 1, configurable: true, writable: true });
    try {
      expect(createDiffSchema({ x: 1 }, {})).toEqual({ oldValue: { x: 1 }, newValue: {} });
      expect(createDiffSchema({}, { x: 1 })).toEqual({ oldValue: {}, newValue: { x: 1 } });
      expect(createDiffSchema({ n: { x: 1 } }, { n: {} }, { deep: true })).toEqual({
        oldValue: { n: { x: 1 } },
        newValue: { n: {} },
      });
    } finally {
      delete (Object.prototype as Record<string, unknown>).x;
    }
  });
});
