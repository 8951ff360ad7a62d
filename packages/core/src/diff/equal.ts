import { guard, isPlainObject } from '../json/guard';
import type { EncodeContext, JsonValue } from '../json/types';
import { encodeValue } from '../json/walk';

/** What the comparison needs: the depth limit, excluded keys, and an encoder for odd types. */
export interface CompareContext {
  maxDepth: number;
  /** Excluded keys when there are two or more; null otherwise. */
  exclude: ReadonlySet<string> | null;
  /** The excluded key when there is exactly one (the usual `updatedAt`): a string compare. */
  excludeOne: string | null;
  /** Encoder without redaction: a changed secret must still compare as changed. */
  encoder: EncodeContext;
  /** Thrown when the depth limit is hit; the caller finds out whether it was a cycle. */
  tooDeep(): Error;
}

/** `undefined`, functions and symbols: no JSON form, so a key holding one is absent. */
export function absent(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

const enumerable = Object.prototype.propertyIsEnumerable;

/**
 * Whether `k` is a key of `o`'s encoding: an own enumerable property. Reading `o[k]` cannot
 * tell: a non-enumerable own property or an inherited one reads as a value too. The walks ask
 * this only once `a` and `b` list their keys in different orders: until then `b` holds `a`'s
 * next key exactly when it is the next of `Object.keys(b)`, a string compare.
 */
export function holds(o: object, k: string): boolean {
  return enumerable.call(o, k);
}

/**
 * `Object.values(o)`: the values at `Object.keys(o)`, read in one call instead of one keyed load
 * per key. A getter runs here, once, even for a key the walk then skips; when one throws, null,
 * and the walk reads key by key, so the error surfaces only where a compared key is read.
 */
export function valuesOf(o: object): unknown[] | null {
  try {
    return Object.values(o);
  } catch {
    return null;
  }
}

/** Structural equality of two encoded JSON values. */
function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i]!, b[i]!)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !jsonEqual(a[k]!, b[k]!)) return false;
  }
  return true;
}

/** The slow path for values of different or unusual types: compare their encodings. */
function encodedEqual(a: unknown, b: unknown, depth: number, ctx: CompareContext): boolean {
  return jsonEqual(encodeValue(a, depth, ctx.encoder), encodeValue(b, depth, ctx.encoder));
}

function equalArrays(a: unknown[], b: unknown[], depth: number, ctx: CompareContext): boolean {
  if (depth > ctx.maxDepth) throw ctx.tooDeep();
  const n = a.length;
  if (n !== b.length) return false;
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && !equalValues(x, y, depth + 1, ctx)) return false;
  }
  return true;
}

/** Number of present (not absent, not excluded) keys of `o`, whose own keys are `keys`. */
export function presentKeys(
  o: Record<string, unknown>,
  keys: readonly string[],
  ctx: CompareContext,
): number {
  let n = 0;
  for (const k of keys) {
    if (k === ctx.excludeOne || ctx.exclude?.has(k) || absent(o[k])) continue;
    n++;
  }
  return n;
}

function equalObjects(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  depth: number,
  ctx: CompareContext,
): boolean {
  if (depth > ctx.maxDepth) throw ctx.tooDeep();
  const ex = ctx.exclude;
  const one = ctx.excludeOne;
  const ownOnly = guard.ownOnly;
  const keys = Object.keys(b);
  const values = valuesOf(b);
  // `a`'s keys so far are `keys[0..at)`, in order (-1 once they are not: see `holds`).
  let at = 0;
  let count = 0;
  // A key whose value `a` lacks: `b` may hold a value there.
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
    if (i < 0 && !holds(b, k)) return false;
    const y = i < 0 || values === null ? b[k] : values[i];
    count++;
    if (x === y) continue;
    if (absent(y) || !equalValues(x, y, depth + 1, ctx)) return false;
  }
  // Every present key of `a` is present and equal in `b`; equal iff `b` has no other present
  // key, which is certain when `b` lists exactly `a`'s keys and `a` has a value at each.
  return (at === keys.length && !loose) || presentKeys(b, keys, ctx) === count;
}

/**
 * Equality under the stored encoding: two values are equal when `toJsonValue` would encode them
 * to the same JSON (so a Date equals its ISO string, `NaN` equals `null`, `{ a: undefined }`
 * equals `{}`, key order is irrelevant). Plain objects, arrays, Dates and primitives are compared
 * in place; anything else goes through the encoder. `depth` is the depth of `a` and `b`.
 */
export function equalValues(a: unknown, b: unknown, depth: number, ctx: CompareContext): boolean {
  if (a === b) return true;
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'object' && tb === 'object' && a !== null && b !== null) {
    const aa = Array.isArray(a);
    if (aa && Array.isArray(b)) return equalArrays(a, b, depth, ctx);
    if (a instanceof Date && b instanceof Date) {
      const x = a.getTime();
      const y = b.getTime();
      return x === y || (Number.isNaN(x) && Number.isNaN(y));
    }
    const pa = !aa && isPlainObject(a as object);
    const pb = !Array.isArray(b) && isPlainObject(b as object);
    if (pa && pb) {
      return equalObjects(a as Record<string, unknown>, b as Record<string, unknown>, depth, ctx);
    }
    // Both plain data of different shapes (object vs array) can never encode alike.
    if ((pa || aa) && (pb || Array.isArray(b))) return false;
    return encodedEqual(a, b, depth, ctx);
  }
  // Two different strings, booleans or finite numbers: the common case, decided at once.
  if (
    (ta === 'string' || ta === 'boolean' || (ta === 'number' && Number.isFinite(a))) &&
    (tb === 'string' || tb === 'boolean' || (tb === 'number' && Number.isFinite(b)))
  ) {
    return false;
  }
  // A plain object or array never encodes to a primitive.
  if (ta === 'object' && a !== null && (Array.isArray(a) || isPlainObject(a as object)))
    return false;
  if (tb === 'object' && b !== null && (Array.isArray(b) || isPlainObject(b as object)))
    return false;
  return encodedEqual(a, b, depth, ctx);
}
