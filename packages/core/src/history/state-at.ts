import { ValidationError } from '../errors';
import { type EventLogPage, MAX_PAGE_SIZE, type StorageQuery } from '../schemas';
import { inTimestampRange, TIMESTAMP_RANGE_MESSAGE } from '../timestamp-range';
import { foldEntry, NO_STATE, type ObjectState } from './fold';

/** The object whose history is read, resolved by the service. */
export interface ResolvedObject {
  type: string;
  id: string;
}

/** Checks an instant of `stateAt` / `changesBetween`. */
export function instantOf(value: unknown, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw ValidationError.field(field, 'must be a valid Date');
  }
  if (!inTimestampRange(value)) throw ValidationError.field(field, TIMESTAMP_RANGE_MESSAGE);
  return value;
}

/** A point of an object's history: an instant, or one entry (the instant being its timestamp). */
export interface StatePoint {
  at: Date;
  /**
   * Stop right after this entry: entries at the same timestamp ordered after it (by id) are left
   * out. An id the read does not meet counts as the instant `at` alone.
   */
  entryId?: string;
}

/**
 * Folds the object's entries up to each of `points` (an instant: inclusive, ties in id order;
 * an entry: up to and including it) and returns one state per point, in the order given. The
 * entries are read once, oldest first, up to the latest instant, through the
 * `(object_type, object_id, timestamp, id)` index: one query per `MAX_PAGE_SIZE` entries, never
 * one per entry.
 */
export async function statesAt(
  find: (query: StorageQuery) => Promise<EventLogPage>,
  object: ResolvedObject,
  points: readonly (Date | StatePoint)[],
): Promise<ObjectState[]> {
  const pending = points.map((p, i) =>
    p instanceof Date
      ? { at: p.getTime(), entryId: undefined, i }
      : { ...p, at: p.at.getTime(), i },
  );
  const last = Math.max(...pending.map((p) => p.at));
  // `to` is exclusive: one millisecond on, unless that leaves the storable range.
  const end = new Date((Number.isFinite(last) ? last : Date.now()) + 1);
  const states: ObjectState[] = new Array(points.length);
  const acc: ObjectState = { ...NO_STATE };
  const settle = (reached: (p: (typeof pending)[number]) => boolean) => {
    for (let k = pending.length - 1; k >= 0; k--) {
      const p = pending[k] as (typeof pending)[number];
      if (!reached(p)) continue;
      states[p.i] = snapshotOf(acc);
      pending.splice(k, 1);
    }
  };
  let cursor: string | null = null;
  do {
    const page: EventLogPage = await find({
      objectType: object.type,
      objectId: object.id,
      ...(inTimestampRange(end) && { to: end }),
      order: 'asc',
      limit: MAX_PAGE_SIZE,
      cursor,
      offset: 0,
      withCount: false,
    });
    for (const entry of page.results) {
      const time = entry.timestamp.getTime();
      if (pending.length > 0) settle((p) => p.at < time);
      foldEntry(acc, entry);
      if (pending.length > 0) settle((p) => p.entryId === entry.id);
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  settle(() => true);
  return states;
}

/** A copy of the accumulator that later folds cannot change. */
function snapshotOf(acc: ObjectState): ObjectState {
  return {
    state: acc.state === null ? null : structuredClone(acc.state),
    asOf: acc.asOf === null ? null : new Date(acc.asOf.getTime()),
    entryId: acc.entryId,
    complete: acc.complete,
  };
}
