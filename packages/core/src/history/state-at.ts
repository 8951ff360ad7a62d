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

/**
 * Folds the object's entries up to each of `instants` (inclusive, ties in id order) and returns
 * one state per instant, in the order given. The entries are read once, oldest first, up to the
 * latest instant, through the `(object_type, object_id, timestamp, id)` index: one query per
 * `MAX_PAGE_SIZE` entries, never one per entry.
 */
export async function statesAt(
  find: (query: StorageQuery) => Promise<EventLogPage>,
  object: ResolvedObject,
  instants: readonly Date[],
): Promise<ObjectState[]> {
  const order = instants.map((at, i) => ({ at: at.getTime(), i })).sort((a, b) => a.at - b.at);
  const last = order[order.length - 1]?.at ?? Date.now();
  // `to` is exclusive: one millisecond on, unless that leaves the storable range.
  const end = new Date(last + 1);
  const states: ObjectState[] = new Array(instants.length);
  const acc: ObjectState = { ...NO_STATE };
  let next = 0;
  const settle = (upTo: number) => {
    while (next < order.length && (order[next] as { at: number }).at < upTo) {
      states[(order[next] as { i: number }).i] = snapshotOf(acc);
      next++;
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
      settle(entry.timestamp.getTime());
      foldEntry(acc, entry);
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  settle(Number.POSITIVE_INFINITY);
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
