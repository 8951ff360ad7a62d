import { defineKey, guard, isPlainObject, keyCount } from '../json/guard';
import type { JsonValue } from '../json/types';
import { encodeValue } from '../json/walk';
import type { DiffContext } from './context';
import { counted, own } from './equal';

export type JsonObject = { [key: string]: JsonValue };
type Obj = Record<string, unknown>;

/**
 * The second result of `encodePair` and `diffObjects`, read by the caller right after the call
 * returns: the callee sets it last, after the getters and `toJSON` it may run, so a re-entrant
 * `createDiffSchema` from one of them cannot overwrite it in between.
 */
export const second: { value: JsonValue } = { value: null };

/** Sets an own key; `__proto__` goes through `defineKey` so it stays data. Small enough to inline. */
export function put(o: JsonObject, k: string, v: JsonValue): void {
  if (k === '__proto__') defineKey(o, k, v);
  else o[k] = v;
}

/** Encodes a value for the result; strings and finite numbers (the usual leaves) skip the call. */
export function out(v: unknown, depth: number, ctx: DiffContext): JsonValue {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v + 0;
  return encodeValue(v, depth, ctx.output);
}

/**
 * Encodes `x` and `y` (both at `depth`) for the result in one walk: returns the encoding of `x`
 * and leaves that of `y` in `second.value`. Where the two hold equal parts, the part is walked
 * once and both encodings hold the same object for it; when they are equal as a whole, both
 * results are the same object. Plain objects and arrays are walked pairwise; other values are
 * encoded one by one (and then share nothing unless they encode to the same primitive).
 */
export function encodePair(x: unknown, y: unknown, depth: number, ctx: DiffContext): JsonValue {
  if (typeof x === 'object' && typeof y === 'object' && x !== null && y !== null && x !== y) {
    const ax = Array.isArray(x);
    if (ax) {
      if (Array.isArray(y)) return pairArrays(x, y, depth, ctx);
    } else if (!Array.isArray(y) && isPlainObject(x) && isPlainObject(y)) {
      return pairObjects(x as Obj, y as Obj, depth, ctx);
    }
  }
  const e = out(x, depth, ctx);
  second.value = x === y ? e : out(y, depth, ctx);
  return e;
}

/** `y` encoded, for a pair whose `x` was a simple value (the new side of an unequal pair). */
function other(x: unknown, y: unknown, depth: number, ctx: DiffContext): JsonValue {
  return x === y ? (x as JsonValue) : out(y, depth, ctx);
}

function pairArrays(a: unknown[], b: unknown[], depth: number, ctx: DiffContext): JsonValue {
  if (depth > ctx.maxDepth) throw ctx.tooDeep();
  const n = a.length;
  const m = b.length;
  const min = Math.min(n, m);
  const child = depth + 1;
  const oa: JsonValue[] = new Array(n);
  // The new side is only built once an item differs: until then it would equal `oa`.
  let ob: JsonValue[] | null = null;
  for (let i = 0; i < min; i++) {
    const x = a[i];
    const y = b[i];
    let e: JsonValue;
    let eb: JsonValue;
    if (typeof x === 'string' || typeof x === 'boolean') {
      e = x;
      eb = other(x, y, child, ctx);
    } else if (typeof x === 'number' && Number.isFinite(x)) {
      e = x + 0;
      eb = x === y ? e : out(y, child, ctx);
    } else {
      e = encodePair(x, y, child, ctx);
      eb = second.value;
    }
    oa[i] = e;
    if (ob === null && eb !== e) ob = oa.slice(0, i);
    if (ob !== null) ob[i] = eb;
  }
  for (let i = min; i < n; i++) oa[i] = out(a[i], child, ctx);
  if (m !== n) {
    if (ob === null) ob = oa.slice(0, min);
    for (let i = min; i < m; i++) ob[i] = out(b[i], child, ctx);
  }
  second.value = ob ?? oa;
  return oa;
}

function pairObjects(a: Obj, b: Obj, depth: number, ctx: DiffContext): JsonValue {
  if (depth > ctx.maxDepth) throw ctx.tooDeep();
  const ex = ctx.exclude;
  const one = ctx.excludeOne;
  const red = ctx.redaction;
  const child = depth + 1;
  const ownOnly = guard.ownOnly;
  const oa: JsonObject = {};
  // The new side's encodings of keys present on both sides whose encodings differ.
  let differ: JsonObject | null = null;
  let present = 0;
  let shared = 0;
  // Excluded keys of `b` that `a` also has: counted by `keyCount(b)`, never compared.
  let skipped = 0;
  for (const k in a) {
    if (k === one || ex?.has(k)) {
      skipped += counted(b, k);
      continue;
    }
    if (ownOnly && !Object.hasOwn(a, k)) continue;
    const x = a[k];
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    const y = k === '__proto__' ? own(b, k) : b[k];
    present++;
    let e: JsonValue;
    let eb: JsonValue;
    if (y === undefined || typeof y === 'function' || typeof y === 'symbol') {
      // Removed: on the old side only.
      e = red?.isSecret(k) ? red.mask : out(x, child, ctx);
      eb = e;
    } else {
      shared++;
      if (red?.isSecret(k)) e = eb = red.mask;
      else if (typeof x === 'string' || typeof x === 'boolean') {
        e = x;
        eb = other(x, y, child, ctx);
      } else if (typeof x === 'number' && Number.isFinite(x)) {
        e = x + 0;
        eb = x === y ? e : out(y, child, ctx);
      } else {
        e = encodePair(x, y, child, ctx);
        eb = second.value;
      }
    }
    if (k === '__proto__') defineKey(oa, k, e);
    else oa[k] = e;
    if (eb !== e) {
      if (differ === null) differ = {};
      put(differ, k, eb);
    }
  }
  // Same present keys and no differing value: the new side encodes exactly like the old side.
  if (differ === null && present === shared && keyCount(b) === shared + skipped) {
    second.value = oa;
    return oa;
  }
  const ob: JsonObject = {};
  for (const k in b) {
    if (k === one || ex?.has(k) || (ownOnly && !Object.hasOwn(b, k))) continue;
    const y = b[k];
    if (y === undefined || typeof y === 'function' || typeof y === 'symbol') continue;
    // `oa` has an own key for every key present on the old side (a secret one holds the mask).
    if (red?.isSecret(k)) put(ob, k, red.mask);
    else if (differ !== null && Object.hasOwn(differ, k)) put(ob, k, differ[k]!);
    else if (Object.hasOwn(oa, k)) put(ob, k, oa[k]!);
    else put(ob, k, out(y, child, ctx));
  }
  second.value = ob;
  return oa;
}
