// Helpers shared by every walk over caller data (the JSON encoder, the diff, redaction and the
// template renderer): they decide which keys a walk may enumerate, what counts as "no value" and
// as plain data, and how a key is written so that `__proto__` stays data.

/** Marker for "no value": the key is omitted in objects, `null` in arrays. */
export const ABSENT: unique symbol = Symbol('absent');

const PROBE = {};

/**
 * The walk enumerates with `for...in`, whose keyed loads V8 optimizes best. `for...in` also
 * yields inherited enumerable keys, which a plain object only has if someone made a property
 * of `Object.prototype` enumerable (pollution); `guard.ownOnly` then adds an own-key check.
 * Refreshed at the start of every `createDiffSchema` and `toJsonValue`.
 */
export const guard = { ownOnly: false };

/** Re-checks `Object.prototype` for enumerable keys: an empty object enumerates only those. */
export function refreshGuard(): void {
  let polluted = false;
  for (const _ in PROBE) {
    polluted = true;
    break;
  }
  guard.ownOnly = polluted;
}

/** `undefined`, functions and symbols have no JSON form: they count as absent. */
export function isAbsent(v: unknown): boolean {
  const t = typeof v;
  return t === 'undefined' || t === 'function' || t === 'symbol';
}

/** True for objects whose prototype is `Object.prototype` or null: data, enumerated as is. */
export function isPlainObject(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Sets `key` as an own data property, so `"__proto__"` stays data and never swaps the prototype. */
export function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}
