import { defineKey, guard } from '../json/guard';
import type { JsonValue } from '../json/types';
import { encodeValue } from '../json/walk';
import type { DiffContext } from './context';

// Writing the result: the objects both walks build, and the helpers that fill them.

export type JsonObject = { [key: string]: JsonValue };
export type Obj = Record<string, unknown>;

/**
 * The second result of `encodePair` and `diffObjects`, read by the caller right after the call
 * returns: the callee sets it last, after the getters and `toJSON` it may run, so a re-entrant
 * `createDiffSchema` from one of them cannot overwrite it in between.
 */
export const second: { value: JsonValue } = { value: null };

/** Sets an own key; `__proto__` goes through `defineKey` so it stays data. Small enough to inline. */
export function put(o: JsonObject, k: string, v: JsonValue): void {
  if (k === '__proto__') defineKey(o, k, v);
  else o[k] = v;
}

/** Encodes a value for the result; strings and finite numbers (the usual leaves) skip the call. */
export function out(v: unknown, depth: number, ctx: DiffContext): JsonValue {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v + 0;
  return encodeValue(v, depth, ctx.output);
}

/** What a lazy `encodePair` returns for an equal pair: nothing was encoded. */
export const SAME: JsonValue = Object.freeze({});

/** Strings, booleans and finite numbers: equal to another such value only if `===`. */
export function simple(v: unknown): boolean {
  const t = typeof v;
  return t === 'string' || t === 'boolean' || (t === 'number' && Number.isFinite(v));
}

/** The encoding of the present keys of `a` enumerated before `stop` (all of them for null). */
export function encodeBefore(
  a: Obj,
  stop: string | null,
  depth: number,
  ctx: DiffContext,
): JsonObject {
  const ex = ctx.exclude;
  const one = ctx.excludeOne;
  const red = ctx.redaction;
  const ownOnly = guard.ownOnly;
  const o: JsonObject = {};
  for (const k in a) {
    if (k === stop) break;
    if (k === one || ex?.has(k) || (ownOnly && !Object.hasOwn(a, k))) continue;
    const x = a[k];
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    put(o, k, red?.isSecret(k) ? red.mask : out(x, depth, ctx));
  }
  return o;
}

/**
 * A copy of one of our own result objects. Built key by key: a spread copy is a fresh shape
 * that V8 then extends slowly, key by key, without its usual shared transitions.
 */
export function copyOf(o: JsonObject): JsonObject {
  const c: JsonObject = {};
  const ownOnly = guard.ownOnly;
  for (const k in o) if (!ownOnly || Object.hasOwn(o, k)) put(c, k, o[k]!);
  return c;
}

/** True when `b` enumerates its (non-excluded) keys in the order `o` holds them. */
export function inOrder(o: JsonObject, b: Obj, ctx: DiffContext): boolean {
  const ex = ctx.exclude;
  const one = ctx.excludeOne;
  const ownOnly = guard.ownOnly;
  const keys = Object.keys(o);
  let i = 0;
  for (const k in b) {
    if (k === one || ex?.has(k) || (ownOnly && !Object.hasOwn(b, k))) continue;
    if (keys[i++] !== k) return false;
  }
  return i === keys.length;
}

/**
 * The new side in `b`'s key order: values of shared keys from `known` (which holds every key
 * both sides share), the others encoded.
 */
export function inOrderOf(b: Obj, known: JsonObject, depth: number, ctx: DiffContext): JsonObject {
  const ex = ctx.exclude;
  const one = ctx.excludeOne;
  const red = ctx.redaction;
  const ownOnly = guard.ownOnly;
  const ob: JsonObject = {};
  for (const k in b) {
    if (k === one || ex?.has(k) || (ownOnly && !Object.hasOwn(b, k))) continue;
    const y = b[k];
    if (y === undefined || typeof y === 'function' || typeof y === 'symbol') continue;
    if (red?.isSecret(k)) put(ob, k, red.mask);
    else if (Object.hasOwn(known, k)) put(ob, k, known[k]!);
    else put(ob, k, out(y, depth, ctx));
  }
  return ob;
}
