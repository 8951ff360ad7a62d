import { createDiffSchema } from '../diff/index';
import { ValidationError } from '../errors';
import type { Changes, StorageQuery } from '../schemas';
import type { ServiceContext } from '../service-context';
import type { ObjectState } from './fold';
import { instantOf, type ResolvedObject, statesAt } from './state-at';

/** Options of `stateAt()`. */
export interface StateAtOptions {
  /**
   * The id of one of the object's entries: the state right after it, even when other entries
   * share its timestamp. Not combinable with `at`.
   */
  entry?: string;
}

/** `EventLogService.stateAt` for an object the service resolved: see its TSDoc. */
export async function stateAt<Tx>(
  ctx: ServiceContext<Tx>,
  ref: ResolvedObject,
  at: Date | undefined,
  options: StateAtOptions,
): Promise<ObjectState> {
  const find = (q: StorageQuery) => ctx.storage.find(q);
  const entryId = options?.entry;
  if (entryId !== undefined) {
    if (at !== undefined) {
      throw ValidationError.field('entry', 'cannot be combined with `at`: it sets the instant');
    }
    if (typeof entryId !== 'string' || entryId.length === 0 || entryId.length > 255) {
      throw ValidationError.field('entry', 'must be a string of 1 to 255 characters');
    }
    const entry = await ctx.call('get', () => ctx.storage.get(entryId));
    if (entry === null || entry.objectType !== ref.type || entry.objectId !== ref.id) {
      throw ValidationError.field('entry', 'is not an entry of this object');
    }
    const [state] = await ctx.call('find', () =>
      statesAt(find, ref, [{ at: entry.timestamp, entryId }]),
    );
    return state as ObjectState;
  }
  const instant = at === undefined ? ctx.clock() : instantOf(at, 'at');
  const [state] = await ctx.call('find', () => statesAt(find, ref, [instant]));
  return state as ObjectState;
}

/** `EventLogService.changesBetween` for an object the service resolved: see its TSDoc. */
export async function changesBetween<Tx>(
  ctx: ServiceContext<Tx>,
  ref: ResolvedObject,
  from: Date,
  to: Date,
): Promise<Changes> {
  const instants = [instantOf(from, 'from'), instantOf(to, 'to')];
  const [before, after] = await ctx.call('find', () =>
    statesAt((q) => ctx.storage.find(q), ref, instants),
  );
  return createDiffSchema(before?.state ?? {}, after?.state ?? {}, { redact: false });
}
