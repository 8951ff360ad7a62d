import { ValidationError } from './errors';
import { charge, type PayloadBudget } from './json-budget';
import { ABSENT, guard, isAbsent, isPlainObject, refreshGuard } from './json-guard';
import { defineKey, type Redaction, type RedactOptions, resolveRedaction } from './redact';

/** A JSON primitive. */
export type JsonPrimitive = string | number | boolean | null;
/** Any JSON value: what `toJsonValue` returns and what storage keeps. */
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };

/** Options of `toJsonValue`. */
export interface JsonEncodeOptions {
  /** Nesting beyond this depth is an error (default 64). */
  maxDepth?: number;
  /** Mask secret keys (default false here; the diff and templates turn it on). */
  redact?: boolean | RedactOptions;
  /** Keys dropped at every level. */
  excludeKeys?: readonly string[];
  /** The field named in the `ValidationError` (default `"value"`). */
  field?: string;
}

/** Internal encoder state, shared by the diff so one traversal rule serves both. */
export interface EncodeContext {
  maxDepth: number;
  redaction: Redaction | null;
  exclude: ReadonlySet<string> | null;
  /** Objects on the current path, to name a cycle; null to rely on the depth limit alone. */
  ancestors: Set<object> | null;
  fail(message: string, cause?: unknown): Error;
  /** The error for nesting deeper than `maxDepth`. */
  tooDeep(): Error;
  /** Size accounting and NUL refusal of a payload `log()` stores; null for the diff and renders. */
  payload: PayloadBudget | null;
  /**
   * When not null, each container an error passes through pushes the key it was encoding, so
   * the failure's path (innermost key first) costs nothing unless something fails.
   */
  errorPath: (string | number)[] | null;
}
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
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return encodeValue(toJSON.call(v, ''), depth + 1, ctx);
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

/** Builds an encoder context from public options; errors are made by `fail`. */
export function encodeContext(
  options: {
    maxDepth?: number | undefined;
    redact?: boolean | RedactOptions | undefined;
    excludeKeys?: readonly string[] | undefined;
  },
  defaultRedact: boolean,
  fail: (message: string, cause?: unknown) => Error,
  trackAncestors = true,
): EncodeContext {
  const maxDepth = options.maxDepth ?? 64;
  return {
    maxDepth,
    redaction: resolveRedaction(options.redact ?? defaultRedact),
    exclude:
      options.excludeKeys && options.excludeKeys.length > 0 ? new Set(options.excludeKeys) : null,
    ancestors: trackAncestors ? new Set() : null,
    fail,
    tooDeep: () => fail(`is nested deeper than maxDepth (${maxDepth})`),
    payload: null,
    errorPath: null,
  };
}

/**
 * The one JSON encoding eventlog stores (changes, values, metadata). Deterministic, and
 * `JSON.parse(JSON.stringify(toJsonValue(x)))` deep-equals `toJsonValue(x)`:
 *
 * | input | encoded as |
 * | --- | --- |
 * | string, boolean, null, finite number | itself (`-0` → `0`) |
 * | NaN, ±Infinity | `null` |
 * | BigInt | decimal string (`12n` → `"12"`) |
 * | undefined, function, symbol | key omitted in objects, `null` in arrays and at the root |
 * | Date | ISO 8601 string (`toISOString`); an invalid Date → `null` |
 * | Buffer, Uint8Array, DataView, ArrayBuffer | base64 string |
 * | other typed arrays | array of numbers (BigInt elements as strings) |
 * | Map | object; string keys as is, other keys as `String(k)` or their JSON |
 * | Set | array, in insertion order |
 * | array | array (holes → `null`) |
 * | plain object (prototype `Object.prototype` or null) | object of its own enumerable keys |
 * | RegExp | its source text, `"/a/g"` |
 * | boxed primitive | its primitive |
 * | other object with `toJSON()` | the encoding of what `toJSON('')` returns |
 * | Error | `{ name, message, ...own enumerable }` |
 * | other class instance | object of its own enumerable keys |
 *
 * Keys keep their insertion order. `__proto__` and `constructor` keys are kept as own data
 * keys. A cycle or nesting deeper than `maxDepth` (default 64) is a `ValidationError` on
 * `options.field`; so is an exception thrown by a getter or `toJSON` (as its cause).
 */
export function toJsonValue(value: unknown, options: JsonEncodeOptions = {}): JsonValue {
  const field = options.field ?? 'value';
  const fail = (message: string, cause?: unknown): Error =>
    new ValidationError(`${field}: ${message}`, [{ path: [field], message }], { cause });
  const ctx = encodeContext(options, false, fail);
  refreshGuard();
  try {
    return encodeValue(value, 0, ctx);
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    if (e instanceof RangeError) throw fail('is nested too deeply for the stack', e);
    throw fail('could not be encoded: a getter or toJSON threw', e);
  }
}
