import { guard, isPlainObject } from '../json/guard';
import type { JsonValue } from '../json/types';
import type { DiffContext } from './context';
import { equalValues, holds, presentKeys, valuesOf } from './equal';
import {
  copyOf,
  encodeBefore,
  inOrder,
  inOrderOf,
  type JsonObject,
  type Obj,
  out,
  put,
  SAME,
  second,
  simple,
} from './output';

/**
 * Compares `x` and `y` (both at `depth`) under the stored encoding and encodes them for the
 * result in the same walk: returns the encoding of `x` and leaves that of `y` in `second.value`.
 * A secret compares by its real value, though both sides hold the mask.
 *
 * Eager (`lazy` false): both encodings always come back, and they are the same value exactly
 * when the pair is equal. Lazy: an equal pair returns `SAME` and allocates nothing; the walk
 * encodes nothing until its first difference, then encodes the parts compared so far (equal,
 * so encoded once and shared by both sides) and goes on eagerly, since the rest is needed
 * either way. Where the two hold equal parts, both encodings hold the same object for it.
 */
export function encodePair(
  x: unknown,
  y: unknown,
  depth: number,
  ctx: DiffContext,
  lazy: boolean,
): JsonValue {
  if (typeof x === 'object' && typeof y === 'object' && x !== null && y !== null && x !== y) {
    if (Array.isArray(x)) {
      if (Array.isArray(y)) return pairArrays(x, y, depth, ctx, lazy);
    } else if (!Array.isArray(y) && isPlainObject(x) && isPlainObject(y)) {
      return pairObjects(x as Obj, y as Obj, depth, ctx, lazy);
    }
  }
  if (lazy && (x === y || equalValues(x, y, depth, ctx))) return SAME;
  const e = out(x, depth, ctx);
  let f = x === y ? e : out(y, depth, ctx);
  // Two objects encoding alike (equal Maps, class instances) come back as one value; the
  // comparison runs on the unredacted values, so a changed secret inside them still differs.
  if (!lazy && f !== e && typeof e === 'object' && e !== null && typeof f === 'object') {
    if (f !== null && equalValues(x, y, depth, ctx)) f = e;
  }
  second.value = f;
  return e;
}

function pairArrays(
  a: unknown[],
  b: unknown[],
  depth: number,
  ctx: DiffContext,
  lazy: boolean,
): JsonValue {
  if (depth > ctx.maxDepth) throw ctx.tooDeep();
  const n = a.length;
  const m = b.length;
  const min = Math.min(n, m);
  const child = depth + 1;
  let i = 0;
  let e: JsonValue = null;
  let eb: JsonValue = null;
  let found = false;
  if (lazy && n === m) {
    for (; i < n; i++) {
      const x = a[i];
      const y = b[i];
      if (x === y) continue;
      if (simple(x) && simple(y)) {
        e = out(x, child, ctx);
        eb = out(y, child, ctx);
        found = true;
        break;
      }
      e = encodePair(x, y, child, ctx, true);
      if (e === SAME) continue;
      eb = second.value;
      found = true;
      break;
    }
    if (i === n) return SAME;
  }
  const oa: JsonValue[] = new Array(n);
  for (let j = 0; j < i; j++) oa[j] = out(a[j], child, ctx);
  // The new side is only built once an item differs: until then it would equal `oa`.
  let ob: JsonValue[] | null = null;
  if (found) {
    oa[i] = e;
    ob = oa.slice(0, i);
    ob[i] = eb;
    i++;
  }
  for (; i < min; i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x === 'string' || typeof x === 'boolean') {
      e = x;
      eb = x === y ? x : out(y, child, ctx);
    } else if (typeof x === 'number' && Number.isFinite(x)) {
      e = x + 0;
      eb = x === y ? e : out(y, child, ctx);
    } else {
      e = encodePair(x, y, child, ctx, false);
      eb = second.value;
    }
    oa[i] = e;
    if (ob === null && eb !== e) ob = oa.slice(0, i);
    if (ob !== null) ob[i] = eb;
  }
  for (let j = min; j < n; j++) oa[j] = out(a[j], child, ctx);
  if (m !== n) {
    if (ob === null) ob = oa.slice(0, min);
    for (let j = min; j < m; j++) ob[j] = out(b[j], child, ctx);
  }
  second.value = ob ?? oa;
  return oa;
}

/**
 * Both sides of a pair of plain objects in one walk of `a` (see `encodePair`). The new side is
 * only built at the first difference, as a copy of the old side so far; it then holds the keys
 * both sides share, in `a`'s order, which is checked against `b` at the end: keys only `b`
 * holds, or another order, rebuild it in `b`'s order.
 */
function pairObjects(a: Obj, b: Obj, depth: number, ctx: DiffContext, lazy: boolean): JsonValue {
  if (depth > ctx.maxDepth) throw ctx.tooDeep();
  const ex = ctx.exclude;
  const one = ctx.excludeOne;
  const red = ctx.redaction;
  const child = depth + 1;
  const ownOnly = guard.ownOnly;
  let oa: JsonObject | null = lazy ? null : {};
  let ob: JsonObject | null = null;
  const keys = Object.keys(b);
  const values = valuesOf(b);
  // `a`'s keys so far are `keys[0..at)`, in order (-1 once they are not: see `holds`).
  let at = 0;
  // Keys present on both sides; `loose` when `a` lacks a value at a key `b` may hold.
  let shared = 0;
  let loose = false;
  for (const k in a) {
    if (ownOnly && !Object.hasOwn(a, k)) continue;
    // `b`'s value at `k` is `values[i]` while the keys are in step.
    let i = -1;
    if (at >= 0 && keys[at] === k) i = at++;
    else at = -1;
    if (k === one || ex?.has(k)) continue;
    const x = a[k];
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') {
      loose = true;
      continue;
    }
    const y = i < 0 ? (holds(b, k) ? b[k] : undefined) : values === null ? b[k] : values[i];
    // Until the first difference nothing is encoded, so an identical value needs nothing more.
    if (x === y && oa === null) {
      shared++;
      continue;
    }
    const gone = y === undefined || typeof y === 'function' || typeof y === 'symbol';
    let e: JsonValue;
    let eb: JsonValue;
    // Whether this key makes the pair differ though both sides hold the same encoding.
    let hidden = false;
    if (red?.isSecret(k)) {
      e = eb = red.mask;
      hidden = !gone && ob === null && x !== y && !equalValues(x, y, child, ctx);
    } else if (typeof x === 'string' || typeof x === 'boolean') {
      e = x;
      eb = x === y || gone ? x : out(y, child, ctx);
    } else if (typeof x === 'number' && Number.isFinite(x)) {
      e = x + 0;
      eb = x === y || gone ? e : out(y, child, ctx);
    } else if (gone) {
      e = eb = out(x, child, ctx);
    } else {
      e = encodePair(x, y, child, ctx, oa === null);
      if (e === SAME) {
        shared++;
        continue;
      }
      eb = second.value;
    }
    if (oa === null) {
      if (!gone && !hidden && eb === e) {
        shared++;
        continue;
      }
      // The first difference: every present key of `a` before `k` is equal on both sides.
      oa = encodeBefore(a, k, child, ctx);
      ob = copyOf(oa);
    } else if (ob === null && (gone || hidden || eb !== e)) {
      ob = copyOf(oa);
    }
    put(oa, k, e);
    if (!gone) {
      shared++;
      if (ob !== null) put(ob, k, eb);
    }
  }
  // When `b` lists exactly `a`'s keys and `a` has a value at each, the new side holds `b`'s
  // present keys in `b`'s order; otherwise count `b`'s present keys, and check the order.
  const inStep = at === keys.length && !loose;
  const sameKeys = inStep || presentKeys(b, keys, ctx) === shared;
  if (oa === null) {
    if (sameKeys) return SAME;
    oa = encodeBefore(a, null, child, ctx);
  }
  if (ob === null && sameKeys) {
    second.value = oa;
    return oa;
  }
  second.value =
    sameKeys && ob !== null && (inStep || inOrder(ob, b, ctx))
      ? ob
      : inOrderOf(b, ob ?? oa, child, ctx);
  return oa;
}
