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
export function toJsonData(
  value: unknown,
  path: (string | number)[],
  limits: JsonLimits,
  budget: JsonBudget = { bytes: 0 },
): unknown {
  const ancestors = new Set<object>();
  const maxDepth = Math.min(limits.maxDepth, MAX_DEPTH_CEILING);
  const fail = (at: PathNode, message: string, cause?: unknown): never => {
    const where = toPath(path, at);
    throw new ValidationError(`${where.join('.')}: ${message}`, [{ path: where, message }], {
      cause,
    });
  };
  const add = (n: number) => {
    budget.bytes += n;
    if (budget.bytes > limits.maxPayloadBytes) {
      fail(null, `is larger than ${limits.maxPayloadBytes} bytes`);
    }
  };
  const visit = (v: unknown, at: PathNode, depth: number): unknown => {
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
    if (depth > maxDepth) fail(at, `nests deeper than ${maxDepth} levels`);
    if (ancestors.has(obj)) fail(at, 'contains a cycle');
    ancestors.add(obj);
    try {
      const toJSON = (obj as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') {
        let replaced: unknown;
        try {
          replaced = toJSON.call(obj);
        } catch (cause) {
          fail(at, 'toJSON() threw', cause);
        }
        if (replaced !== obj) return visit(replaced, at, depth);
      }
      if (Array.isArray(obj) || obj instanceof Set) {
        const items = Array.isArray(obj) ? obj : [...obj];
        add(2);
        const out: unknown[] = [];
        for (let i = 0; i < items.length; i++) {
          add(1);
          out.push(visit(items[i], { up: at, key: i }, depth + 1));
        }
        return out;
      }
      add(2);
      const out: Record<string, unknown> = {};
      const put = (key: string, val: unknown) => {
        if (val === undefined || typeof val === 'function' || typeof val === 'symbol') return;
        add(Buffer.byteLength(key) + 4);
        // A plain assignment to `__proto__` would set the prototype instead of storing data.
        Object.defineProperty(out, key, {
          value: visit(val, { up: at, key }, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      };
      if (obj instanceof Map) {
        for (const [k, val] of obj) put(String(k), val);
      } else {
        // Read one property at a time so an oversize object fails at the budget, not after a
        // full copy of its keys' values.
        for (const key of Object.keys(obj)) {
          let val: unknown;
          try {
            val = (obj as Record<string, unknown>)[key];
          } catch (cause) {
            fail({ up: at, key }, 'reading it threw', cause);
          }
          put(key, val);
        }
      }
      return out;
    } finally {
      ancestors.delete(obj);
    }
  };
  return visit(value, null, 1);
}

/** Bytes counted so far; share one between calls to give them a common size limit. */
export interface JsonBudget {
  bytes: number;
}

/** A path built only when an error needs it: a child costs one small node, not an array copy. */
type PathNode = { up: PathNode; key: string | number } | null;

function toPath(prefix: (string | number)[], node: PathNode): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let n = node; n !== null; n = n.up) keys.push(n.key);
  return [...prefix, ...keys.reverse()];
}
