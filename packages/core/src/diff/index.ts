import { DiffError } from '../errors';
import { isPlainObject, refreshGuard } from '../json/guard';
import type { RedactOptions } from '../json/redact';
import { encodeContext } from '../json/to-json-value';
import type { JsonValue } from '../json/types';
import { encodeValue } from '../json/walk';
import type { Changes } from '../schemas';
import { type DiffContext, diffObjects } from './build';

/** Options of `createDiffSchema`. */
export interface DiffOptions {
  /** Keys ignored at every level (e.g. `updatedAt`): neither compared nor written. */
  excludeKeys?: readonly string[];
  /** Keep only the changed leaves of nested objects instead of whole top-level values. */
  deep?: boolean;
  /** Mask secret keys in both sides (default true); `false` keeps them, an object configures. */
  redact?: boolean | RedactOptions;
  /** Nesting beyond this depth is a `DiffError` (default 64). */
  maxDepth?: number;
}

const fail = (message: string, cause?: unknown): Error =>
  new DiffError(`diff input ${message}`, { cause });

/** Nesting past `maxDepth`, before it is known whether a cycle caused it (see `explain`). */
class NestingError extends DiffError {}

function context(options: DiffOptions | undefined): DiffContext {
  const o = options ?? {};
  // No ancestor tracking on the hot path: the depth limit ends cycles, `explain` names them.
  const output = encodeContext(o, true, fail, false);
  const tooDeep = (): Error => new NestingError('diff input is nested too deeply');
  output.tooDeep = tooDeep;
  return {
    maxDepth: output.maxDepth,
    exclude: output.exclude,
    encoder: { ...output, redaction: null },
    tooDeep,
    deep: o.deep === true,
    redaction: output.redaction,
    output,
  };
}

/**
 * Contexts of the common calls (no options, `deep` and/or `redact: false`), built once. They
 * hold no per-call state, since the walk tracks no ancestors, so reuse is safe, even
 * re-entrantly. Index: deep + 2 × no-redaction.
 */
const common: (DiffContext | undefined)[] = [];

function cached(i: number, options: DiffOptions | undefined): DiffContext {
  let ctx = common[i];
  if (ctx === undefined) {
    ctx = context(options);
    common[i] = ctx;
  }
  return ctx;
}

function contextFor(options: DiffOptions | undefined): DiffContext {
  if (options === undefined) return cached(0, undefined);
  const { redact } = options;
  if (
    options.maxDepth !== undefined ||
    (redact !== undefined && typeof redact !== 'boolean') ||
    (options.excludeKeys !== undefined && options.excludeKeys.length > 0)
  ) {
    return context(options);
  }
  const deep = options.deep === true;
  const i = (deep ? 1 : 0) + (redact === false ? 2 : 0);
  return cached(i, { deep, redact: redact !== false });
}

/** The object a side is diffed as: null/undefined are `{}`, plain objects as they are. */
function side(v: unknown, name: string, ctx: DiffContext): Record<string, unknown> {
  if (v === null || v === undefined) return {};
  if (typeof v === 'object' && !Array.isArray(v) && isPlainObject(v))
    return v as Record<string, unknown>;
  const e = encodeValue(v, 0, ctx.encoder);
  if (typeof e === 'object' && e !== null && !Array.isArray(e)) return e;
  throw new DiffError(`${name} must be an object, null or undefined`);
}

/**
 * Builds `{ oldValue, newValue }`: what changed between two records, JSON-safe and ready to
 * store as `changes`.
 *
 * - Default (the seed's semantics): top-level keys only. A changed key appears on both sides
 *   with its whole old and new value; a removed key on the old side only; an added key on the
 *   new side only. Nested values are compared deeply.
 * - `deep: true`: nested objects are mirrored down to the changed leaves, on both sides (a
 *   nested object whose only change is a removal appears as `{}` on the new side). Arrays are
 *   leaves: a changed array appears whole, since positions shift on insert and a per-index
 *   difference of a shifted array is noise.
 *
 * In both modes, applying the result to `oldData` (set every key of `newValue`, recursing in
 * deep mode where both sides hold objects; delete keys only in `oldValue`) gives `newData`'s
 * encoding. Values compare by their stored encoding (`toJsonValue`): Dates by time (and equal
 * to their ISO string), `undefined` as absent, `NaN` as `null`, key order ignored. Identical
 * references are equal without being walked. Secret keys (default on) are compared but their
 * values are written as the mask. `null`/`undefined` stand for `{}`; a Map, class instance or
 * document is diffed as its encoding. `__proto__` and `constructor` keys are plain data.
 *
 * Inputs are never mutated. Throws `DiffError` for a cycle, nesting deeper than `maxDepth`
 * (default 64), a non-object side, or a getter/`toJSON` that throws (as its cause).
 */
export function createDiffSchema(
  oldData: unknown,
  newData: unknown,
  options?: DiffOptions,
): Changes {
  const ctx = contextFor(options);
  refreshGuard();
  const oldValue: { [key: string]: JsonValue } = {};
  const newValue: { [key: string]: JsonValue } = {};
  try {
    if (oldData !== newData) {
      diffObjects(
        side(oldData, 'oldData', ctx),
        side(newData, 'newData', ctx),
        0,
        ctx,
        oldValue,
        newValue,
      );
    }
  } catch (e) {
    throw explain(e, oldData, newData, ctx);
  }
  return { oldValue, newValue };
}

/** Turns what the walk threw into the `DiffError` the caller sees, saying cycle or depth. */
function explain(e: unknown, oldData: unknown, newData: unknown, ctx: DiffContext): DiffError {
  if (e instanceof NestingError) {
    // Re-encode with ancestor tracking: a cycle is found at its first repeat, before the limit.
    const tracking = { ...ctx.encoder, ancestors: new Set<object>() };
    for (const v of [oldData, newData]) {
      try {
        encodeValue(v, 0, tracking);
      } catch (inner) {
        if (inner instanceof DiffError && !(inner instanceof NestingError)) return inner;
      }
    }
    return new DiffError(`diff input is nested deeper than maxDepth (${ctx.maxDepth})`);
  }
  if (e instanceof DiffError) return e;
  if (e instanceof RangeError) {
    return new DiffError('diff input is nested too deeply for the stack; lower maxDepth', {
      cause: e,
    });
  }
  return new DiffError('diff input could not be read: a getter, proxy or toJSON threw', {
    cause: e,
  });
}
