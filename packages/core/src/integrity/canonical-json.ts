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
  const parts: string[] = [];
  write(value, parts, new Set());
  return parts.join('');
}

function write(value: unknown, out: string[], path: Set<object>): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new CanonicalJsonError(`canonical JSON: ${value} is not a finite number`);
      }
      // -0 serializes as 0, as the RFC requires (JSON.stringify(-0) === '0').
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new CanonicalJsonError(`canonical JSON: a ${typeof value} is not JSON data`);
  }
  if (value === null) {
    out.push('null');
    return;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    write(toJSON.call(value), out, path);
    return;
  }
  if (path.has(value)) throw new CanonicalJsonError('canonical JSON: the value has a cycle');
  path.add(value);
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i], out, path);
    }
    out.push(']');
  } else {
    const record = value as Record<string, unknown>;
    // Own enumerable string keys only; `__proto__` parsed by JSON.parse is an own key like any other.
    const keys = Object.keys(record).sort();
    let first = true;
    out.push('{');
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(key), ':');
      write(member, out, path);
    }
    out.push('}');
  }
  path.delete(value);
}
