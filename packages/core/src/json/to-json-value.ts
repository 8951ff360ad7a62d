import { ValidationError } from '../errors';
import { refreshGuard } from './guard';
import { type RedactOptions, resolveRedaction } from './redact';
import type { EncodeContext, JsonValue } from './types';
import { encodeValue } from './walk';

export type { JsonPrimitive, JsonValue } from './types';

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
