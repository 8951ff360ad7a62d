import { ValidationError } from '../errors';
import { defineKey, isPlainObject } from './guard';
import { compileSecretKeys, DEFAULT_SECRET_KEYS, type SecretMatcher } from './secret-keys';

export { DEFAULT_SECRET_KEYS, normalizeKey, type SecretMatcher } from './secret-keys';

/** Options shared by everything that masks secrets. */
export interface RedactOptions {
  /**
   * Words, phrases and patterns that make a key secret; replaces {@link DEFAULT_SECRET_KEYS}
   * (spread the defaults to extend them, filter them to remove a word). A string is a phrase
   * looked for among the words of a key (`'pin'` masks `pin`, `userPins`, `pin_code`); `'*pin'`
   * only at the end of the key; `'!pin count'` exempts a key made of exactly those words. A
   * RegExp matches when it matches the key as written or its normalized form (lower case, `_`
   * and `-` removed).
   */
  keys?: readonly (string | RegExp)[];
  /** Replacement for secret values. Default {@link DEFAULT_MASK}. */
  mask?: string;
  /** `redact()` only: nesting beyond this depth is a `ValidationError` (default 1000). */
  maxDepth?: number;
  /** `redact()` only: the field named in errors (default `"value"`). */
  field?: string;
}

/** What a secret value is replaced by. */
export const DEFAULT_MASK = '[REDACTED]';

const defaultMatcher = compileSecretKeys(DEFAULT_SECRET_KEYS);
const compiled = new WeakMap<readonly (string | RegExp)[], SecretMatcher>();

/** The matcher for a key list, compiled once per list instance. */
export function secretMatcher(keys?: readonly (string | RegExp)[]): SecretMatcher {
  if (keys === undefined || keys === DEFAULT_SECRET_KEYS) return defaultMatcher;
  let m = compiled.get(keys);
  if (m === undefined) {
    m = compileSecretKeys(keys);
    compiled.set(keys, m);
  }
  return m;
}

/** True when `key` names a secret under `options.keys` (default {@link DEFAULT_SECRET_KEYS}). */
export function isSecretKey(key: string, options?: RedactOptions): boolean {
  return secretMatcher(options?.keys)(key);
}

/** How the diff, the template resolver and the JSON encoding are told to mask. */
export interface Redaction {
  isSecret: SecretMatcher;
  mask: string;
}

/**
 * Resolves a `redact` option (`true`/absent = defaults, `false` = off, an object = configured)
 * to a matcher and mask, or null when redaction is off.
 */
export function resolveRedaction(option: boolean | RedactOptions | undefined): Redaction | null {
  if (option === false) return null;
  if (option === true || option === undefined) return DEFAULT_REDACTION;
  // Callers pass the same options object on every call (the service's settings): resolve once.
  // Only the two fields read here are compared, so a mutated object is still honoured.
  const hit = resolved.get(option);
  if (hit !== undefined && hit.keys === option.keys && hit.mask === option.mask)
    return hit.redaction;
  const redaction = { isSecret: secretMatcher(option.keys), mask: option.mask ?? DEFAULT_MASK };
  resolved.set(option, { keys: option.keys, mask: option.mask, redaction });
  return redaction;
}

const DEFAULT_REDACTION: Redaction = Object.freeze({
  isSecret: defaultMatcher,
  mask: DEFAULT_MASK,
});
const resolved = new WeakMap<
  RedactOptions,
  { keys: RedactOptions['keys']; mask: string | undefined; redaction: Redaction }
>();

/**
 * Returns a deep copy of `value` in which the value of every secret key is replaced by the mask,
 * at any depth and inside arrays, Maps (string keys) and Sets. Plain objects and arrays are
 * copied as plain objects and arrays (`__proto__` keys stay data); class instances are copied
 * with the same prototype and their own enumerable properties; Dates are copied; other
 * built-ins (typed arrays, RegExps, boxed primitives) carry no keys and are returned as they
 * are. The input is never mutated. A cycle, or nesting deeper than `maxDepth` (default 1000), is a
 * `ValidationError` on `options.field`.
 */
export function redact<T>(value: T, options?: RedactOptions): T {
  const isSecret = secretMatcher(options?.keys);
  const mask = options?.mask ?? DEFAULT_MASK;
  const maxDepth = options?.maxDepth ?? 1000;
  const field = options?.field ?? 'value';
  const ancestors = new Set<object>();

  const copy = (v: unknown, depth: number): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (v instanceof Date) return new Date(v.getTime());
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof RegExp) return v;
    if (depth > maxDepth) throw ValidationError.field(field, `is nested deeper than ${maxDepth}`);
    if (ancestors.has(v)) throw ValidationError.field(field, 'contains a cycle');
    ancestors.add(v);
    try {
      if (Array.isArray(v)) {
        const out: unknown[] = new Array(v.length);
        for (let i = 0; i < v.length; i++) out[i] = copy(v[i], depth + 1);
        return out;
      }
      if (v instanceof Map) {
        const out = new Map<unknown, unknown>();
        for (const [k, x] of v) {
          out.set(k, typeof k === 'string' && isSecret(k) ? mask : copy(x, depth + 1));
        }
        return out;
      }
      if (v instanceof Set) {
        const out = new Set<unknown>();
        for (const x of v) out.add(copy(x, depth + 1));
        return out;
      }
      const out: Record<string, unknown> = isPlainObject(v)
        ? {}
        : Object.create(Object.getPrototypeOf(v));
      const src = v as Record<string, unknown>;
      for (const k of Object.keys(src)) {
        defineKey(out, k, isSecret(k) ? mask : copy(src[k], depth + 1));
      }
      return out;
    } finally {
      ancestors.delete(v);
    }
  };

  try {
    return copy(value, 0) as T;
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    if (e instanceof RangeError) throw ValidationError.field(field, 'is nested too deeply');
    throw e;
  }
}
