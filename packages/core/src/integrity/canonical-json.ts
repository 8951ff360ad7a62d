/**
 * RFC 8785 (JSON Canonicalization Scheme) for the JSON data eventlog stores. Written here rather
 * than taken from the `canonicalize` package: its current majors are ESM-only or need Node 22,
 * which would break core's CommonJS build, and core keeps zod as its only runtime dependency.
 *
 * The rules, all from the RFC: object members sorted by their names as UTF-16 code unit
 * sequences (what `Array.prototype.sort` does without a comparator); no whitespace; numbers in
 * ECMAScript `Number.prototype.toString` form (what `JSON.stringify` writes for finite numbers);
 * strings escaped as `JSON.stringify` escapes them (it already emits the RFC's minimal escapes
 * and `\uXXXX` for lone surrogates).
 */

/** Thrown for a value JSON cannot represent (a non-finite number, a function, a bigint...). */
export class CanonicalJsonError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'CanonicalJsonError';
  }
}

/**
 * The canonical JSON text of `value`. `undefined` members of objects are left out, as
 * `JSON.stringify` does; everything else that is not JSON data (non-finite numbers, bigint,
 * functions, symbols, `undefined` at the top or inside an array) throws `CanonicalJsonError`.
 * Values with a `toJSON` method (Dates) are serialized through it. Cycles are refused.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

// Built by string concatenation: every entry is serialized once more to be hashed, and V8
// concatenates short strings faster than it joins an array of parts.
function write(value: unknown, path: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) {
        throw new CanonicalJsonError(`canonical JSON: ${value} is not a finite number`);
      }
      // -0 serializes as 0, as the RFC requires (JSON.stringify(-0) === '0').
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new CanonicalJsonError(`canonical JSON: a ${typeof value} is not JSON data`);
  }
  if (value === null) return 'null';
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return write(toJSON.call(value), path);
  if (path.has(value)) throw new CanonicalJsonError('canonical JSON: the value has a cycle');
  path.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += write(value[i], path);
    }
    out += ']';
  } else {
    const record = value as Record<string, unknown>;
    // Own enumerable string keys only; `__proto__` parsed by JSON.parse is an own key like any other.
    const keys = Object.keys(record).sort();
    out = '{';
    let first = true;
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      if (!first) out += ',';
      first = false;
      out += `${JSON.stringify(key)}:${write(member, path)}`;
    }
    out += '}';
  }
  path.delete(value);
  return out;
}
