import { defineKey, isPlainObject } from '../json/guard';
import type { EventLog, JsonObject } from '../schemas';

/** What `stateAt` returns: an object's tracked fields as of one moment of its log. */
export interface ObjectState {
  /**
   * The tracked fields (masked values stay masked), or null when the object did not exist then:
   * before its first entry, or after a delete.
   */
  state: JsonObject | null;
  /** The timestamp of the last entry folded in; null when none was. */
  asOf: Date | null;
  /** The id of the last entry folded in; null when none was. */
  entryId: string | null;
  /**
   * True when the state was folded from a snapshot (`metadata.snapshot === true`, what capture
   * writes on create and delete) or ends in a delete: every field is known. False when the
   * history starts with partial changes (hand-written `log()` calls, or a purged start): then
   * `state` holds only the fields those changes name.
   */
  complete: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && isPlainObject(v);

/**
 * Applies one side-by-side change to `target`: each key of `after` is set (recursing where the
 * stored value, `before` and `after` are all objects, so a deep diff's changed leaves land in
 * place), and each key of `before` missing from `after` is removed. A top-level diff carries
 * whole values and a deep diff only changed leaves; this rule reads both correctly.
 */
function apply(
  target: Record<string, unknown>,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): void {
  for (const key of Object.keys(after)) {
    const next = after[key];
    const previous = Object.hasOwn(before, key) ? before[key] : undefined;
    const current = Object.hasOwn(target, key) ? target[key] : undefined;
    if (isRecord(next) && isRecord(previous)) {
      const nested = isRecord(current) ? current : {};
      apply(nested, previous, next);
      defineKey(target, key, nested);
    } else {
      defineKey(target, key, structuredClone(next));
    }
  }
  for (const key of Object.keys(before)) {
    if (!Object.hasOwn(after, key)) delete target[key];
  }
}

/** The state before any entry: nothing known. */
export const NO_STATE: Readonly<ObjectState> = Object.freeze({
  state: null,
  asOf: null,
  entryId: null,
  complete: false,
});

/**
 * Folds one entry (the next in `(timestamp, id)` order) into `acc`, in place: a snapshot
 * replaces the state, a `delete` ends it, any other entry applies its `changes`.
 */
export function foldEntry(acc: ObjectState, entry: EventLog): void {
  acc.asOf = entry.timestamp;
  acc.entryId = entry.id;
  const snapshot = entry.metadata?.snapshot === true;
  if (entry.action === 'delete') {
    acc.state = null;
    acc.complete = true;
    return;
  }
  const changes = entry.changes;
  if (snapshot && changes !== null) {
    acc.state = structuredClone(changes.newValue);
    acc.complete = true;
    return;
  }
  if (changes === null) return;
  if (acc.state === null) {
    // Changes with no known start (a purged or hand-written history), or after a delete.
    acc.state = {};
    acc.complete = false;
  }
  apply(acc.state, changes.oldValue, changes.newValue);
}
