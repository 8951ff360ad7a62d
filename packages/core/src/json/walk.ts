import { charge } from './budget';
import { ABSENT, defineKey, guard, isAbsent, isPlainObject } from './guard';
import type { EncodeContext, JsonPrimitive, JsonValue } from './types';

// The traversal behind `toJsonValue` (see `toJsonValue` for the encoding table), shared by the diff,
// the template renderer and the payload encoder of `log()`, so one rule serves all of them.

/** Records the key an error unwinds through, when the caller wants the path. */
function unwind(ctx: EncodeContext, key: string | number | undefined, e: unknown): never {
  if (ctx.errorPath !== null && key !== undefined) ctx.errorPath.push(key);
  throw e;
}
function encodePrimitive(v: unknown): JsonPrimitive | typeof ABSENT {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      // -0 becomes 0 as in JSON.stringify; NaN and ±Infinity have no JSON form.
      return Number.isFinite(v) ? v + 0 : null;
    case 'bigint':
      return v.toString(10);
    case 'object':
      return null; // only ever called with null here
    default:
      return ABSENT;
  }
}

function mapKey(k: unknown, depth: number, ctx: EncodeContext): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean') return String(k);
  return JSON.stringify(encodeValue(k, depth, ctx) ?? null);
}

function encodeEntries(
  entries: Iterable<[string, unknown]>,
  depth: number,
  ctx: EncodeContext,
): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  const red = ctx.redaction;
  const p = ctx.payload;
  let at: string | undefined;
  try {
    for (const [k, x] of entries) {
      at = k;
      if (ctx.exclude?.has(k)) continue;
      if (isAbsent(x)) continue;
      const e = red?.isSecret(k) ? red.mask : encodeValue(x, depth + 1, ctx);
      if (p !== null) charge(p, k, e, ctx);
      defineKey(out, k, e);
    }
  } catch (e) {
    unwind(ctx, at, e);
  }
  return out;
}

function encodePlain(src: Record<string, unknown>, depth: number, ctx: EncodeContext): JsonValue {
  const out: { [key: string]: JsonValue } = {};
  const red = ctx.redaction;
  const ex = ctx.exclude;
  const child = depth + 1;
  const ownOnly = guard.ownOnly;
  const p = ctx.payload;
  // One try per object, not per key: the key being encoded when something throws is `k`.
  let k: string | undefined;
  try {
    for (const key in src) {
      k = key;
      if (ex?.has(k) || (ownOnly && !Object.hasOwn(src, k))) continue;
      const x = src[k];
      let e: JsonValue;
      if (red?.isSecret(k)) {
        if (isAbsent(x)) continue;
        e = red.mask;
      } else if (typeof x === 'string' || typeof x === 'boolean') {
        e = x;
      } else if (typeof x === 'number') {
        e = Number.isFinite(x) ? x + 0 : null;
      } else if (typeof x === 'object') {
        e = x === null ? null : encodeObject(x, child, ctx);
      } else if (isAbsent(x)) {
        continue;
      } else {
        e = encodeValue(x, child, ctx);
      }
      if (p !== null) charge(p, k, e, ctx);
      if (k === '__proto__') defineKey(out, k, e);
      else out[k] = e;
    }
  } catch (e) {
    unwind(ctx, k, e);
  }
  return out;
}

function encodeArray(v: unknown[], depth: number, ctx: EncodeContext): JsonValue {
  const n = v.length;
  const out: JsonValue[] = new Array(n);
  const p = ctx.payload;
  let i = 0;
  try {
    for (; i < n; i++) {
      const x = v[i];
      const e = typeof x === 'string' ? x : encodeValue(x, depth + 1, ctx);
      if (p !== null) charge(p, null, e, ctx);
      out[i] = e;
    }
  } catch (e) {
    unwind(ctx, i, e);
  }
  return out;
}

/** Encodes the items of a Set or typed array as a JSON array. */
function encodeItems(items: Iterable<unknown>, depth: number, ctx: EncodeContext): JsonValue[] {
  const out: JsonValue[] = [];
  const p = ctx.payload;
  try {
    for (const x of items) {
      const e = encodeValue(x, depth + 1, ctx);
      if (p !== null) charge(p, null, e, ctx);
      out.push(e);
    }
  } catch (e) {
    unwind(ctx, out.length, e);
  }
  return out;
}

/** Containers: arrays, plain objects, and everything encoded through its entries or toJSON. */
function encodeContainer(v: object, depth: number, ctx: EncodeContext): JsonValue {
  if (Array.isArray(v)) return encodeArray(v, depth, ctx);
  if (isPlainObject(v)) return encodePlain(v as Record<string, unknown>, depth, ctx);
  if (ArrayBuffer.isView(v)) {
    if (v instanceof Uint8Array || v instanceof DataView || v instanceof Uint8ClampedArray) {
      return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
    }
    return encodeItems(v as unknown as Iterable<number | bigint>, depth, ctx);
  }
  if (v instanceof ArrayBuffer) return Buffer.from(v).toString('base64');
  if (v instanceof Map) {
    const pairs: [string, unknown][] = [];
    for (const [k, x] of v) pairs.push([mapKey(k, depth + 1, ctx), x]);
    return encodeEntries(pairs, depth, ctx);
  }
  if (v instanceof Set) return encodeItems(v, depth, ctx);
  if (v instanceof RegExp) return String(v);
  if (v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof BigInt) {
    return encodeValue(v.valueOf(), depth, ctx);
  }
  // Asked before `toJSON` is even read: reading it may run a getter.
  if (ctx.callsToJSON === undefined || ctx.callsToJSON(v)) {
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return encodeValue(toJSON.call(v, ''), depth + 1, ctx);
  }
  if (v instanceof Error) {
    // message and name are not enumerable, yet they are the point of an error.
    const pairs: [string, unknown][] = [
      ['name', v.name],
      ['message', v.message],
    ];
    for (const k of Object.keys(v)) pairs.push([k, (v as unknown as Record<string, unknown>)[k]]);
    return encodeEntries(pairs, depth, ctx);
  }
  const src = v as Record<string, unknown>;
  return encodeEntries(
    Object.keys(src).map((k): [string, unknown] => [k, src[k]]),
    depth,
    ctx,
  );
}

function encodeObject(v: object, depth: number, ctx: EncodeContext): JsonValue {
  if (v instanceof Date) {
    const t = v.getTime();
    return Number.isNaN(t) ? null : v.toISOString();
  }
  if (depth > ctx.maxDepth) throw ctx.tooDeep();
  const p = ctx.payload;
  if (p !== null && ++p.bytes > p.maxBytes) throw p.tooBig(); // the brackets, roughly
  const ancestors = ctx.ancestors;
  // Without ancestor tracking the depth limit still ends a cycle; the caller re-encodes with
  // tracking on that error path to say "cycle" instead of "too deep".
  if (ancestors === null) return encodeContainer(v, depth, ctx);
  if (ancestors.has(v)) throw ctx.fail('contains a cycle');
  ancestors.add(v);
  try {
    return encodeContainer(v, depth, ctx);
  } finally {
    ancestors.delete(v);
  }
}

/**
 * Encodes one value at `depth` (0 for the root). Absent values (undefined, functions, symbols)
 * encode to null here; callers that build objects drop them before calling.
 */
export function encodeValue(v: unknown, depth: number, ctx: EncodeContext): JsonValue {
  if (typeof v === 'object' && v !== null) return encodeObject(v, depth, ctx);
  const p = encodePrimitive(v);
  return p === ABSENT ? null : p;
}
