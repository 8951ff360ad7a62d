// The floors of the diff bench: what returning copies costs on each workload with nothing else.

import type { Impl, Workload } from './workloads';

/** A JSON copy of plain data with no checks at all: nothing that returns copies can do less. */
function copy(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copy(v[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = copy((v as Record<string, unknown>)[k]);
  return out;
}

export const FLOOR = 'floor: plain copies of the changed top-level values';
export const SHARED =
  'floor: one walk copying both sides of the changed values, equal parts shared';

/** The new side of the last `copyShared`, which returns the old side. */
let newSide: unknown = null;

/**
 * Copies `x` and `y` in one walk, with no checks: an equal part is copied once and shared by
 * both copies, as in createDiffSchema's output. The copy of `y` is left in `newSide`.
 */
function copyShared(x: unknown, y: unknown): unknown {
  if (typeof x !== 'object' || x === null || typeof y !== 'object' || y === null) {
    newSide = copy(y);
    return copy(x);
  }
  if (Array.isArray(x)) {
    const ys = y as unknown[];
    const old: unknown[] = new Array(x.length);
    let next: unknown[] | null = null;
    for (let i = 0; i < x.length; i++) {
      const e = copyShared(x[i], ys[i]);
      old[i] = e;
      if (next === null && newSide !== e) next = old.slice(0, i);
      if (next !== null) next[i] = newSide;
    }
    newSide = next ?? old;
    return old;
  }
  const old: Record<string, unknown> = {};
  let next: Record<string, unknown> | null = null;
  for (const k in x) {
    const e = copyShared((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]);
    old[k] = e;
    if (next === null && newSide !== e) {
      next = {};
      for (const j in old) if (j !== k) next[j] = old[j];
    }
    if (next !== null) next[k] = newSide;
  }
  newSide = next ?? old;
  return old;
}

/**
 * The least a top-level diff returning JSON copies does on `w`: copy the old and new value of
 * each changed top-level key (known in advance here, so without comparing anything).
 */
export function floorOf(w: Workload): Impl {
  const keys = Object.keys({ ...w.old, ...w.new }).filter(
    (k) => JSON.stringify(w.old[k]) !== JSON.stringify(w.new[k]),
  );
  return {
    name: FLOOR,
    fn: (a, b) => {
      const o: Record<string, unknown> = {};
      const n: Record<string, unknown> = {};
      for (const k of keys) {
        o[k] = copy(a[k]);
        n[k] = copy(b[k]);
      }
      return o === n ? null : o;
    },
  };
}

/**
 * The least a top-level diff returning createDiffSchema's output does on `w`: one walk over the
 * old and new value of each changed top-level key (known in advance), copying the old side and
 * sharing its equal parts with the new side, with no encoding rules, key checks or secrets.
 */
export function sharedFloorOf(w: Workload): Impl {
  const keys = Object.keys({ ...w.old, ...w.new }).filter(
    (k) => JSON.stringify(w.old[k]) !== JSON.stringify(w.new[k]),
  );
  return {
    name: SHARED,
    fn: (a, b) => {
      const o: Record<string, unknown> = {};
      const n: Record<string, unknown> = {};
      for (const k of keys) {
        o[k] = copyShared(a[k], b[k]);
        n[k] = newSide;
      }
      return o === n ? null : o;
    },
  };
}
