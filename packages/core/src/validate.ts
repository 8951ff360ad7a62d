import type { z } from 'zod';
import { ValidationError, type ValidationIssue } from './errors';

/**
 * Parses `input` with `schema`, or throws a `ValidationError` whose issues carry the zod paths
 * (`['tool']`, `['values', 'x']`), prefixed with `prefix` (e.g. the index in `logMany`).
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  prefix: (string | number)[] = [],
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.map((issue) => ({
    path: [
      ...prefix,
      ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : (p as string | number))),
    ],
    message: issue.message,
  }));
  const summary = issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new ValidationError(`Invalid ${what}: ${summary}`, issues);
}

/** Size and depth limits of one JSON payload (`changes`, `values` or `metadata`). */
export interface JsonLimits {
  /** Approximate size of the JSON text, in UTF-8 bytes. */
  maxPayloadBytes: number;
  /** Nesting depth; the payload itself is depth 1. */
  maxDepth: number;
}

/** Recursion is bounded by `maxDepth`, so no configuration may make it overflow the stack. */
export const MAX_DEPTH_CEILING = 1000;

/**
 * Turns `value` into plain JSON data, the one encoding every storage round-trips: the rules of
 * `JSON.stringify` (a `toJSON` method is used, so Dates become ISO strings; non-finite numbers
 * become null; `undefined`, functions and symbols are dropped from objects and become null in
 * arrays), plus: BigInt becomes its decimal string, a Map becomes an object keyed by
 * `String(key)`, a Set becomes an array. Keys such as `__proto__` and `constructor` stay plain
 * data. A cycle, nesting deeper than `limits.maxDepth`, a payload over `limits.maxPayloadBytes`
 * or a getter that throws is a `ValidationError` naming the path, found before anything is
 * stored; the walk stops as soon as a limit is crossed, so hostile input cannot make it hang.
 */
export function toJsonData(value: unknown, path: (string | number)[], limits: JsonLimits): unknown {
  const state = { bytes: 0, ancestors: new Set<object>() };
  const maxDepth = Math.min(limits.maxDepth, MAX_DEPTH_CEILING);
  const visit = (v: unknown, at: (string | number)[], depth: number): unknown => {
    const add = (n: number) => {
      state.bytes += n;
      if (state.bytes > limits.maxPayloadBytes) {
        throw ValidationError.field(path, `is larger than ${limits.maxPayloadBytes} bytes`);
      }
    };
    if (v === null || v === undefined) {
      add(4);
      return null;
    }
    switch (typeof v) {
      case 'string':
        add(Buffer.byteLength(v) + 2);
        return v;
      case 'number':
        add(8);
        return Number.isFinite(v) ? (Object.is(v, -0) ? 0 : v) : null;
      case 'boolean':
        add(5);
        return v;
      case 'bigint':
        add(20);
        return v.toString();
      case 'function':
      case 'symbol':
        add(4);
        return null;
    }
    const obj = v as object;
    if (depth > maxDepth) throw ValidationError.field(at, `nests deeper than ${maxDepth} levels`);
    if (state.ancestors.has(obj)) throw ValidationError.field(at, 'contains a cycle');
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      let replaced: unknown;
      try {
        replaced = toJSON.call(obj);
      } catch (cause) {
        throw new ValidationError(
          `${at.join('.')}: toJSON() threw`,
          [{ path: at, message: 'toJSON() threw' }],
          { cause },
        );
      }
      if (replaced !== obj) {
        state.ancestors.add(obj);
        try {
          return visit(replaced, at, depth);
        } finally {
          state.ancestors.delete(obj);
        }
      }
    }
    state.ancestors.add(obj);
    try {
      if (Array.isArray(obj) || obj instanceof Set) {
        const items = Array.isArray(obj) ? Array.from(obj) : [...obj];
        add(2);
        return items.map((item, i) => {
          add(1);
          return visit(item, [...at, i], depth + 1);
        });
      }
      const entries: [string, unknown][] =
        obj instanceof Map
          ? [...obj].map(([k, val]) => [String(k), val])
          : Object.keys(obj).map((k) => [k, readProperty(obj, k, [...at, k])]);
      add(2);
      const out: Record<string, unknown> = {};
      for (const [key, val] of entries) {
        if (val === undefined || typeof val === 'function' || typeof val === 'symbol') continue;
        add(Buffer.byteLength(key) + 4);
        const encoded = visit(val, [...at, key], depth + 1);
        // A plain assignment to `__proto__` would set the prototype instead of storing data.
        Object.defineProperty(out, key, {
          value: encoded,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    } finally {
      state.ancestors.delete(obj);
    }
  };
  return visit(value, path, 1);
}

function readProperty(obj: object, key: string, at: (string | number)[]): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch (cause) {
    throw new ValidationError(
      `${at.join('.')}: reading it threw`,
      [{ path: at, message: 'reading it threw' }],
      {
        cause,
      },
    );
  }
}
