import { DiffError } from '../errors';
import { isPlainObject, refreshGuard } from '../json/guard';
import type { JsonValue } from '../json/types';
import { encodeValue } from '../json/walk';
import type { Changes } from '../schemas';
import { diffObjects } from './build';
import { contextFor, type DiffContext, type DiffOptions, NestingError } from './context';
import { second } from './output';

export type { DiffOptions } from './context';

/** The object a side is diffed as: null/undefined are `{}`, plain objects as they are. */
function side(v: unknown, name: string, ctx: DiffContext): Record<string, unknown> {
  // A record literal or an ORM's plain row: one prototype read decides it.
  if (
    typeof v === 'object' &&
    v !== null &&
    Object.getPrototypeOf(v) === Object.prototype &&
    !Array.isArray(v)
  )
    return v as Record<string, unknown>;
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
 * The result shares nothing with the inputs. Within it, a part of a changed value that is equal
 * on both sides is encoded once, so `oldValue` and `newValue` hold the same object there: it is
 * built to be stored (`log()` copies it) or serialized; copy it before editing one side.
 * Options are compiled once per distinct set of values, so passing a fresh literal on every
 * call costs nothing extra.
 *
 * Inputs are never mutated, but their getters run: those of `newData` once each, an excluded
 * key's too, while both sides list their keys in the same order; a getter of an excluded key
 * that throws is ignored. Throws `DiffError` for a cycle, nesting deeper than `maxDepth`
 * (default 64), a non-object side, or a getter/`toJSON` of a compared key that throws (as its
 * cause).
 */
export function createDiffSchema(
  oldData: unknown,
  newData: unknown,
  options?: DiffOptions,
): Changes {
  const ctx = contextFor(options);
  refreshGuard();
  if (oldData === newData) return { oldValue: {}, newValue: {} };
  let oldValue: { [key: string]: JsonValue } | null;
  try {
    oldValue = diffObjects(side(oldData, 'oldData', ctx), side(newData, 'newData', ctx), 0, ctx);
  } catch (e) {
    throw explain(e, oldData, newData, ctx);
  }
  if (oldValue === null) return { oldValue: {}, newValue: {} };
  return { oldValue, newValue: second.value as { [key: string]: JsonValue } };
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
