import { jsonEqual } from './json/equal';
import type { CallerGiven } from './prepare-entry';
import type { NewEventLog } from './schemas';

function ownValue(o: Record<string, unknown> | null, key: string): unknown {
  return o !== null && Object.hasOwn(o, key) ? o[key] : undefined;
}

const ALWAYS = ['message', 'template', 'tool', 'action', 'objectType', 'objectId'] as const;

/**
 * The fields in which `entry` (a new call with an `eventId`) says something else than `earlier`
 * (the stored entry with that `eventId`, or an earlier input of the same batch); empty for a
 * retry. Compared is what the caller gave, never what core filled in:
 *
 * - always: `template`, the rendered `message`, `values`, `tool`, `action`, the object
 *   (`objectType`, `objectId`) and `changes`, each as stored (after masking);
 * - `actor` (`actorId`, `actorLabel`) when the call gave one, not when it came from the request
 *   context;
 * - `timestamp` when the call gave one, not the clock's;
 * - `metadata`: each key the call's own `metadata` gave must hold the same value; keys the
 *   request context filled in (`ip`, `userAgent`, `requestId`, context metadata) are ignored, so a
 *   retry through a new HTTP request is still a retry.
 *
 * JSON is compared by value, whatever its key order.
 */
export function differingFields(
  earlier: NewEventLog,
  entry: NewEventLog,
  given: CallerGiven | undefined,
): string[] {
  const out: string[] = [];
  for (const field of ALWAYS) if (earlier[field] !== entry[field]) out.push(field);
  if (!jsonEqual(earlier.values ?? {}, entry.values ?? {})) out.push('values');
  if (!jsonEqual(earlier.changes, entry.changes)) out.push('changes');
  if (given?.actor !== false) {
    if (earlier.actorId !== entry.actorId) out.push('actorId');
    if (earlier.actorLabel !== entry.actorLabel) out.push('actorLabel');
  }
  if (given?.timestamp !== false && earlier.timestamp.getTime() !== entry.timestamp.getTime()) {
    out.push('timestamp');
  }
  const keys = given?.metadataKeys ?? Object.keys(entry.metadata ?? {});
  for (const key of keys) {
    const before = ownValue(earlier.metadata, key);
    if (before === undefined || !jsonEqual(before, ownValue(entry.metadata, key))) {
      out.push(`metadata.${key}`);
    }
  }
  return out;
}
