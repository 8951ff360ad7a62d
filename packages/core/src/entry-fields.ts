import type { NewEventLog } from './schemas';

/**
 * The fields of a new entry, copied one by one into a fresh object that a caller may extend (a
 * chain position, an id). Field by field on purpose: V8 builds `{ ...entry, more }` and rest
 * objects on a slow path that costs more per entry than hashing it, where a literal of known
 * fields takes the fast one. The return type makes a field added to `NewEventLog` a compile error
 * here, so no copy forgets it.
 */
export function entryFields(e: NewEventLog): NewEventLog {
  return {
    timestamp: e.timestamp,
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    message: e.message,
    template: e.template,
    values: e.values,
    tool: e.tool,
    action: e.action,
    objectType: e.objectType,
    objectId: e.objectId,
    changes: e.changes,
    metadata: e.metadata,
    eventId: e.eventId,
    batchId: e.batchId,
  };
}
