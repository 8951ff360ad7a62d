import { defineKey, guard, isPlainObject, keyCount } from '../json/guard';
import type { Redaction } from '../json/redact';
import type { EncodeContext, JsonValue } from '../json/types';
import { encodeValue } from '../json/walk';
import { absent, type CompareContext, equalValues, own } from './equal';

type JsonObject = { [key: string]: JsonValue };
type Obj = Record<string, unknown>;

/** Everything one `createDiffSchema` call needs while walking. */
export interface DiffContext extends CompareContext {
  deep: boolean;
  redaction: Redaction | null;
  /** Encoder with redaction, for what goes into the result. */
  output: EncodeContext;
}

/** Sets an own key; `__proto__` goes through `defineKey` so it stays data. Small enough to inline. */
function put(o: JsonObject, k: string, v: JsonValue): void {
  if (k === '__proto__') defineKey(o, k, v);
  else o[k] = v;
}

/** A string, boolean or finite number: equal to another such value only if `===`. */
function simple(v: unknown): boolean {
  const t = typeof v;
  return t === 'string' || t === 'boolean' || (t === 'number' && Number.isFinite(v));
}

/** Encodes a value for the result; strings and finite numbers (the usual leaves) skip the call. */
function out(v: unknown, depth: number, ctx: DiffContext): JsonValue {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v + 0;
  return encodeValue(v, depth, ctx.output);
}

/**
 * The object view of a value for the deep walk: plain objects as they are, other non-array
 * objects (Maps, class instances, documents) through the comparison encoder; null when the
 * value is a leaf (primitive, array, Date, or anything encoding to a non-object).
 */
function objectView(v: unknown, depth: number, ctx: DiffContext): Obj | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Date) return null;
  if (isPlainObject(v)) return v as Obj;
  const e = encodeValue(v, depth, ctx.encoder);
  return typeof e === 'object' && e !== null && !Array.isArray(e) ? e : null;
}

/**
 * Writes the difference of two objects at `depth` into `oldOut`/`newOut`: removed keys on the
 * old side only, added keys on the new side only, changed keys on both. In deep mode, a key
 * whose values are both objects gets the nested difference on both sides (possibly an empty
 * object on one side) rather than the whole values; arrays and other leaves are whole values.
 */
export function diffObjects(
  a: Obj,
  b: Obj,
  depth: number,
  ctx: DiffContext,
  oldOut: JsonObject,
  newOut: JsonObject,
): void {
  if (depth > ctx.maxDepth) throw ctx.tooDeep();
  const ex = ctx.exclude;
  const red = ctx.redaction;
  const child = depth + 1;
  const ownOnly = guard.ownOnly;
  let shared = 0;
  for (const k in a) {
    if (ex?.has(k) || (ownOnly && !Object.hasOwn(a, k))) continue;
    const x = a[k];
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    const y = k === '__proto__' ? own(b, k) : b[k];
    if (x === y) {
      shared++;
      continue;
    }
    if (absent(y)) {
      put(oldOut, k, red?.isSecret(k) ? red.mask : out(x, child, ctx));
      continue;
    }
    shared++;
    // Two different strings or finite numbers (the usual change) need no comparison call.
    if (!(simple(x) && simple(y)) && equalValues(x, y, child, ctx)) continue;
    if (red?.isSecret(k)) {
      put(oldOut, k, red.mask);
      put(newOut, k, red.mask);
      continue;
    }
    if (ctx.deep) {
      const ox = objectView(x, child, ctx);
      const oy = ox === null ? null : objectView(y, child, ctx);
      if (ox !== null && oy !== null) {
        const o: JsonObject = {};
        const n: JsonObject = {};
        diffObjects(ox, oy, child, ctx, o, n);
        put(oldOut, k, o);
        put(newOut, k, n);
        continue;
      }
    }
    put(oldOut, k, out(x, child, ctx));
    put(newOut, k, out(y, child, ctx));
  }
  // Keys present in both were counted; when `b` has no more keys than that, none was added.
  if (keyCount(b) === shared) return;
  for (const k in b) {
    if (ex?.has(k) || (ownOnly && !Object.hasOwn(b, k))) continue;
    const y = b[k];
    if (y === undefined || typeof y === 'function' || typeof y === 'symbol') continue;
    if (!absent(own(a, k))) continue;
    put(newOut, k, red?.isSecret(k) ? red.mask : out(y, child, ctx));
  }
}
