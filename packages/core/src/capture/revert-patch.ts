import { jsonEqual } from '../json/equal';
import { isSecretKey, type RedactOptions } from '../json/redact';
import { toJsonValue } from '../json/to-json-value';
import type { JsonValue } from '../json/types';
import type { Changes, EventLog } from '../schemas';
import { CaptureError, RevertConflictError } from './capture-error';
import type { CaptureRow } from './options';

/**
 * What reverting one captured entry does to its object, read from the entry alone:
 * - `'delete'`: the entry created the object (a snapshot with an empty `oldValue`);
 * - `'insert'`: the entry deleted it (a snapshot with an empty `newValue`): re-insert
 *   `changes.newValue`;
 * - `'update'`: set the fields of `changes.oldValue` back to `changes.newValue`.
 *
 * `changes` is the entry's inverse: `oldValue` is what the entry left (what the object must
 * still hold for the revert to be free of conflict), `newValue` what the revert restores.
 */
export interface RevertPatch {
  entryId: string;
  objectType: string;
  objectId: string;
  operation: 'insert' | 'delete' | 'update';
  changes: Changes;
  /**
   * Paths (`a.b`) whose stored values are masked secrets: they cannot be restored, and are left
   * as they are when a revert is forced.
   */
  masked: string[];
}

const isPlain = (v: unknown): v is Record<string, JsonValue> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmpty = (o: object) => Object.keys(o).length === 0;

function maskedPaths(value: unknown, redact: false | RedactOptions, prefix = ''): string[] {
  if (redact === false || !isPlain(value)) return [];
  const out: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (isSecretKey(key, redact)) out.push(path);
    else out.push(...maskedPaths(v, redact, path));
  }
  return out;
}

/**
 * The revert of a captured entry (`create`, `update`, `delete` or `revert`), or a
 * `CaptureError` with reason `'not-revertible'`: an entry without an object or `changes`, or a
 * create/delete stored without a snapshot (`metadata.snapshot !== true`). Pure.
 */
export function revertPatchOf(entry: EventLog, redact: false | RedactOptions = {}): RevertPatch {
  const fail = (why: string) =>
    new CaptureError('not-revertible', `entry ${entry.id} cannot be reverted: ${why}`);
  if (entry.objectType === null || entry.objectId === null) throw fail('it names no object');
  if (entry.changes === null) throw fail('it stores no changes');
  const { oldValue, newValue } = entry.changes;
  const snapshot = entry.metadata?.snapshot === true;
  let operation: RevertPatch['operation'] = 'update';
  if (snapshot && isEmpty(oldValue)) operation = 'delete';
  else if (snapshot && isEmpty(newValue)) operation = 'insert';
  else if (entry.action === 'create' || entry.action === 'delete') {
    throw fail(`a ${entry.action} is revertible only from a snapshot`);
  }
  return {
    entryId: entry.id,
    objectType: entry.objectType,
    objectId: entry.objectId,
    operation,
    changes: { oldValue: newValue, newValue: oldValue },
    masked: [...new Set([...maskedPaths(oldValue, redact), ...maskedPaths(newValue, redact)])],
  };
}

/** What a capture writes to revert: the row to insert, or the fields to set and unset. */
export interface RevertPlan {
  operation: 'insert' | 'delete' | 'update' | 'none';
  /** `insert`: the row; `update`: top-level fields and their restored values (JSON). */
  set: Record<string, JsonValue>;
  /** `update`: top-level fields to remove (absent before the entry). */
  unset: string[];
}

/** Whether `current` holds what `expected` says, reading only `expected`'s leaves when deep. */
function holds(
  current: JsonValue | undefined,
  expected: JsonValue | undefined,
  deep: boolean,
): boolean {
  if (deep && isPlain(expected) && isPlain(current)) {
    return Object.keys(expected).every((k) => holds(current[k], expected[k], true));
  }
  return jsonEqual(current, expected);
}

/** `current` with `restore` applied where `left` describes it (deep diffs are partial). */
function restored(
  current: JsonValue | undefined,
  left: JsonValue | undefined,
  restore: JsonValue | undefined,
  deep: boolean,
): JsonValue | undefined {
  if (!(deep && isPlain(current) && (isPlain(left) || isPlain(restore)))) return restore;
  if (!isPlain(restore) || !isPlain(left)) return restore;
  const out: Record<string, JsonValue> = { ...current };
  for (const k of new Set([...Object.keys(left), ...Object.keys(restore)])) {
    const v = restored(current[k], left[k], restore[k], true);
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * Plans the revert `patch` against the object as it is now (`current`, null when it is gone),
 * or throws `RevertConflictError` when the object changed since the entry (or a masked secret
 * would have to be restored) and `force` is not set. Forced, masked fields are left as they are,
 * an update of a row that is gone and a delete of one already deleted do nothing
 * (`operation: 'none'`); re-inserting a row that exists is a conflict even when forced.
 * `deep` says the entry was captured with `deep`.
 */
export function planRevert(
  patch: RevertPatch,
  current: CaptureRow | null,
  options: { force?: boolean; deep?: boolean } = {},
): RevertPlan {
  const force = options.force === true;
  const deep = options.deep === true;
  const { entryId } = patch;
  const masked = new Set(patch.masked.map((p) => p.split('.', 1)[0] as string));
  if (!force && masked.size > 0) {
    throw new RevertConflictError(entryId, [...masked], 'it would restore masked secrets');
  }
  if (patch.operation === 'insert') {
    if (current !== null) throw new RevertConflictError(entryId, ['*'], 'the object exists');
    const set: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(patch.changes.newValue)) {
      if (!masked.has(k)) set[k] = v as JsonValue;
    }
    return { operation: 'insert', set, unset: [] };
  }
  if (current === null) {
    if (force) return { operation: 'none', set: {}, unset: [] };
    throw new RevertConflictError(entryId, ['*'], 'the object no longer exists');
  }
  const now = toJsonValue(current) as Record<string, JsonValue>;
  const left = patch.changes.oldValue as Record<string, JsonValue>;
  const restore = patch.changes.newValue as Record<string, JsonValue>;
  const keys = [...new Set([...Object.keys(left), ...Object.keys(restore)])].filter(
    (k) => !masked.has(k),
  );
  const changed = keys.filter((k) => !holds(now[k], left[k], deep));
  if (changed.length > 0 && !force) {
    throw new RevertConflictError(entryId, changed, `${changed.join(', ')} changed since`);
  }
  if (patch.operation === 'delete') return { operation: 'delete', set: {}, unset: [] };
  const set: Record<string, JsonValue> = {};
  const unset: string[] = [];
  for (const k of keys) {
    const v = restored(now[k], left[k], restore[k], deep);
    if (v === undefined) unset.push(k);
    else set[k] = v;
  }
  return { operation: 'update', set, unset };
}
