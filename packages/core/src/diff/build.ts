import { guard, isPlainObject } from '../json/guard';
import type { JsonValue } from '../json/types';
import { encodeValue } from '../json/walk';
import type { DiffContext } from './context';
import { absent, equalValues, holds, presentKeys, valuesOf } from './equal';
import { type JsonObject, out, put, SAME, second, simple } from './output';
import { encodePair } from './pair';

type Obj = Record<string, unknown>;

/**
 * The object view of a value for the deep walk: plain objects as they are, other non-array
 * objects (Maps, class instances, documents) through the comparison encoder; null when the
 * value is a leaf (primitive, array, Date, or anything encoding to a non-object).
 */
function objectView(v: unknown, depth: number, ctx: DiffContext): Obj | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  // The prototype first: a plain object (the usual nested value) needs no `instanceof`.
  if (isPlainObject(v)) return v as Obj;
  if (v instanceof Date) return null;
  const e = encodeValue(v, depth, ctx.encoder);
  return typeof e === 'object' && e !== null && !Array.isArray(e) ? e : null;
}

/**
 * The difference of two objects at `depth`: returns the old side, or null when nothing differs,
 * and leaves the new side in `second.value` (an object whenever the old side is one). Removed
 * keys go on the old side only, added keys on the new side only, changed keys on both. In deep
 * mode, a key whose values are both objects gets the nested difference on both sides (possibly
 * an empty object on one side), found in the same walk; arrays and other leaves are whole
 * values. A whole value is compared without encoding anything up to its first difference; a
 * changed one is then encoded for both sides in the same walk (`encodePair`, lazy).
 */
export function diffObjects(a: Obj, b: Obj, depth: number, ctx: DiffContext): JsonObject | null {
  if (depth > ctx.maxDepth) throw ctx.tooDeep();
  const ex = ctx.exclude;
  const one = ctx.excludeOne;
  const red = ctx.redaction;
  const deep = ctx.deep;
  const child = depth + 1;
  const ownOnly = guard.ownOnly;
  // Both sides are created at the first difference, so an equal pair allocates nothing.
  let o: JsonObject | null = null;
  let n: JsonObject | null = null;
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
    if (x === y) {
      shared++;
      continue;
    }
    if (absent(y)) {
      if (o === null) {
        o = {};
        n = {};
      }
      put(o, k, red?.isSecret(k) ? red.mask : out(x, child, ctx));
      continue;
    }
    shared++;
    let e: JsonValue;
    let eb: JsonValue;
    if (simple(x) && simple(y)) {
      // Two different strings or finite numbers (the usual change) need no comparison call.
      e = eb = red?.isSecret(k) ? red.mask : null;
      if (e === null) {
        e = out(x, child, ctx);
        eb = out(y, child, ctx);
      }
    } else if (red?.isSecret(k)) {
      // A changed secret is the mask on both sides, whatever changed inside it.
      if (equalValues(x, y, child, ctx)) continue;
      e = eb = red.mask;
    } else {
      const ox = deep ? objectView(x, child, ctx) : null;
      const oy = ox === null ? null : objectView(y, child, ctx);
      if (oy !== null) {
        e = diffObjects(ox!, oy, child, ctx);
        if (e === null) continue;
        eb = second.value;
      } else {
        e = encodePair(x, y, child, ctx, true);
        if (e === SAME) continue;
        eb = second.value;
      }
    }
    if (o === null) {
      o = {};
      n = {};
    }
    put(o, k, e);
    put(n!, k, eb);
  }
  // `b` added no key when it lists exactly `a`'s keys, or has no present key but the shared.
  if ((at !== keys.length || loose) && presentKeys(b, keys, ctx) !== shared) {
    for (const k of keys) {
      if (k === one || ex?.has(k)) continue;
      const y = b[k];
      if (y === undefined || typeof y === 'function' || typeof y === 'symbol') continue;
      if (holds(a, k) && !absent(a[k])) continue;
      if (o === null) {
        o = {};
        n = {};
      }
      put(n!, k, red?.isSecret(k) ? red.mask : out(y, child, ctx));
    }
  }
  second.value = n;
  return o;
}
