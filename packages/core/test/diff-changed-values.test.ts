import { createDiffSchema } from '@eventlog/core';
import { describe, expect, it } from 'vitest';

// A changed nested value is compared without encoding anything up to its first difference,
// then encoded for both sides in the same walk. These pin what that walk must get right:
// the parts seen before the difference, the order of the new side, and changes that do not
// show in the encoding (secrets).

type Obj = Record<string, unknown>;

describe('createDiffSchema — a changed nested value (top-level mode)', () => {
  it('encodes the equal parts before the first difference once, shared by both sides', () => {
    const a = { s: { a: { x: 1, y: [1, { z: 2 }] }, b: { w: 'w' }, c: 1, d: { t: true } } };
    const b = structuredClone(a);
    b.s.c = 2;
    const d = createDiffSchema(a, b);
    expect(d).toEqual({ oldValue: a, newValue: b });
    const o = d.oldValue.s as Obj;
    const n = d.newValue.s as Obj;
    expect(n.a).toBe(o.a);
    expect(n.b).toBe(o.b);
    // after the difference too
    expect(n.d).toBe(o.d);
    expect(o.a).not.toBe(a.s.a);
    expect(Object.keys(o)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('finds the first difference deep inside, after equal siblings at every level', () => {
    const a = {
      items: [
        { id: 1, p: { q: 1 } },
        { id: 2, p: { q: 2 } },
        { id: 3, p: { q: 3 } },
      ],
    };
    const b = structuredClone(a);
    b.items[1]!.p.q = 20;
    const d = createDiffSchema(a, b);
    expect(d).toEqual({ oldValue: a, newValue: b });
    const o = d.oldValue.items as Obj[];
    const n = d.newValue.items as Obj[];
    expect(n[0]).toBe(o[0]);
    expect(n[2]).toBe(o[2]);
    expect(n[1]).not.toBe(o[1]);
    expect((n[1] as { p: unknown }).p).not.toBe((o[1] as { p: unknown }).p);
  });

  it('reports a key removed, or added, after equal nested parts', () => {
    const removed = createDiffSchema({ s: { a: { x: 1 }, b: 1 } }, { s: { a: { x: 1 } } });
    expect(removed).toEqual({
      oldValue: { s: { a: { x: 1 }, b: 1 } },
      newValue: { s: { a: { x: 1 } } },
    });
    const added = createDiffSchema({ s: { a: { x: 1 } } }, { s: { a: { x: 1 }, b: 1 } });
    expect(added).toEqual({
      oldValue: { s: { a: { x: 1 } } },
      newValue: { s: { a: { x: 1 }, b: 1 } },
    });
    expect((added.newValue.s as Obj).a).toBe((added.oldValue.s as Obj).a);
    const longer = createDiffSchema({ l: [{ x: 1 }] }, { l: [{ x: 1 }, { x: 2 }] });
    expect(longer).toEqual({ oldValue: { l: [{ x: 1 }] }, newValue: { l: [{ x: 1 }, { x: 2 }] } });
  });

  it("writes the new side in the new value's key order", () => {
    const d = createDiffSchema(
      { s: { a: 1, b: { x: 1 }, c: 3 } },
      { s: { c: 3, b: { x: 1 }, a: 2 } },
    );
    expect(Object.keys(d.oldValue.s as Obj)).toEqual(['a', 'b', 'c']);
    expect(Object.keys(d.newValue.s as Obj)).toEqual(['c', 'b', 'a']);
    expect(d.newValue).toEqual({ s: { c: 3, b: { x: 1 }, a: 2 } });
    // the same keys in another order, nothing else changed, is no change
    expect(createDiffSchema({ s: { a: 1, b: 2 } }, { s: { b: 2, a: 1 } })).toEqual({
      oldValue: {},
      newValue: {},
    });
  });

  it('reports a changed secret that both sides show as the mask, inside any container', () => {
    const cases: [unknown, unknown][] = [
      [
        { a: { x: 1 }, password: 'one' },
        { a: { x: 1 }, password: 'two' },
      ],
      [[{ token: 'one' }], [{ token: 'two' }]],
      [new Map([['apiKey', 'one']]), new Map([['apiKey', 'two']])],
    ];
    for (const [x, y] of cases) {
      const d = createDiffSchema({ v: x, n: 1 }, { v: y, n: 1 });
      expect(Object.keys(d.oldValue)).toEqual(['v']);
      expect(JSON.stringify(d)).not.toMatch(/one|two/);
      expect(d.oldValue.v).toEqual(d.newValue.v);
    }
    // and an unchanged secret inside a changed value stays masked and shared
    const d = createDiffSchema(
      { v: { secret: { k: 'same' }, n: 1 } },
      { v: { secret: { k: 'same' }, n: 2 } },
    );
    expect(d.newValue).toEqual({ v: { secret: '[REDACTED]', n: 2 } });
  });

  it('shares equal Maps and class instances inside a changed value, and sees them change', () => {
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
    }
    const d = createDiffSchema(
      { v: { c: 1, m: new Map([['k', 1]]), p: new Point(1, 2), q: new Point(0, 0) } },
      { v: { c: 2, m: new Map([['k', 1]]), p: new Point(1, 2), q: new Point(0, 1) } },
    );
    const o = d.oldValue.v as Obj;
    const n = d.newValue.v as Obj;
    expect(o).toEqual({ c: 1, m: { k: 1 }, p: { x: 1, y: 2 }, q: { x: 0, y: 0 } });
    expect(n).toEqual({ c: 2, m: { k: 1 }, p: { x: 1, y: 2 }, q: { x: 0, y: 1 } });
    expect(n.m).toBe(o.m);
    expect(n.p).toBe(o.p);
    expect(n.q).not.toBe(o.q);
  });

  it('compares Dates, their ISO strings, NaN and -0 by encoding inside a changed value', () => {
    const t = '2024-03-01T10:00:00.000Z';
    const d = createDiffSchema(
      { v: [new Date(t), Number.NaN, -0, { at: t }], w: { at: new Date(t) } },
      { v: [t, null, 0, { at: new Date(t) }], w: { at: t } },
    );
    expect(d).toEqual({ oldValue: {}, newValue: {} });
    const changed = createDiffSchema(
      { v: [new Date(t), Number.NaN, -0, 1] },
      { v: [t, null, 0, 2] },
    );
    expect(changed).toEqual({ oldValue: { v: [t, null, 0, 1] }, newValue: { v: [t, null, 0, 2] } });
    expect(Object.is((changed.oldValue.v as number[])[2], 0)).toBe(true);
  });

  it('sees no change in a nested value whose only extra keys are excluded or undefined', () => {
    const ex = { excludeKeys: ['updatedAt'] };
    expect(createDiffSchema({ v: { a: 1 } }, { v: { a: 1, updatedAt: 2 } }, ex)).toEqual({
      oldValue: {},
      newValue: {},
    });
    expect(createDiffSchema({ v: [{ a: 1 }] }, { v: [{ a: 1, u: undefined }] })).toEqual({
      oldValue: {},
      newValue: {},
    });
    // after the first difference too: the equal part is still one shared value
    const d = createDiffSchema(
      { v: { c: 1, w: { a: 1 } } },
      { v: { c: 2, w: { a: 1, u: undefined, updatedAt: 3 } } },
      ex,
    );
    expect(d).toEqual({
      oldValue: { v: { c: 1, w: { a: 1 } } },
      newValue: { v: { c: 2, w: { a: 1 } } },
    });
    expect((d.newValue.v as Obj).w).toBe((d.oldValue.v as Obj).w);
  });
});
