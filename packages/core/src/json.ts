import { ValidationError } from './errors';
import type { PayloadBudget } from './json-budget';
import { refreshGuard } from './json-guard';
import { encodeValue } from './json-walk';
import { type Redaction, type RedactOptions, resolveRedaction } from './redact';

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
  /**
   * Which objects may have their `toJSON()` called; absent = every object that has one. The
   * template renderer allows only the ORMs' own (it calls no function of the caller's data).
   */
  callsToJSON?: (v: object) => boolean;
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
