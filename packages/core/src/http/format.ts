import { z } from 'zod';
import { changesSchema, type EventLog, eventLogSchema, jsonObjectSchema } from '../schemas';
import type { ResponseFormat } from './types';

/** One entry on the wire in the default format: the `EventLog` with an ISO 8601 UTC timestamp. */
export const eventLogJsonSchema = eventLogSchema.extend({
  timestamp: z.iso.datetime().describe('ISO 8601, UTC'),
  changes: changesSchema.nullable(),
});
/** One entry in the default format. */
export type EventLogJson = z.infer<typeof eventLogJsonSchema>;

const seedId = z.union([z.number().int(), z.string()]);
/**
 * One entry in the seed's format (django-simple-eventlog's serializer): snake_case names, the
 * actor as its display string, `changes` as `{ new_value, old_value }`. Integer-looking ids are
 * rendered as numbers, as Django's integer primary keys were.
 */
export const seedEventLogSchema = z.object({
  id: seedId,
  actor: z.string().nullable(),
  message: z.string(),
  timestamp: z.string().describe('ISO 8601, UTC, microseconds as Django REST framework renders'),
  object_id: seedId.nullable(),
  tool: z.string(),
  action: z.string(),
  changes: z.object({ new_value: jsonObjectSchema, old_value: jsonObjectSchema }).nullable(),
  object_type: seedId.nullable(),
});
/** One entry in the seed's format. */
export type SeedEventLog = z.infer<typeof seedEventLogSchema>;

/** Renders one entry in the default format. */
export function toEventLogJson(entry: EventLog): EventLogJson {
  return { ...entry, timestamp: entry.timestamp.toISOString() };
}

// Django's integer keys: only canonical decimal integers become numbers, so "007" or an
// oversized id keeps its exact spelling.
function seedKey(value: string): number | string {
  if (!/^(0|[1-9]\d{0,15})$/.test(value)) return value;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}

/** `2023-11-12T15:26:12.275000Z`: DRF's rendering, from millisecond precision. */
function seedTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Renders one entry exactly as the seed's API did. */
export function toSeedEventLog(entry: EventLog): SeedEventLog {
  return {
    id: seedKey(entry.id),
    actor: entry.actorLabel ?? entry.actorId,
    message: entry.message,
    timestamp: seedTimestamp(entry.timestamp),
    object_id: entry.objectId === null ? null : seedKey(entry.objectId),
    tool: entry.tool,
    action: entry.action,
    changes: entry.changes && {
      new_value: entry.changes.newValue,
      old_value: entry.changes.oldValue,
    },
    object_type: entry.objectType === null ? null : seedKey(entry.objectType),
  };
}

/** Renders one entry in the chosen format. */
export function renderEntry(entry: EventLog, format: ResponseFormat): EventLogJson | SeedEventLog {
  return format === 'seed' ? toSeedEventLog(entry) : toEventLogJson(entry);
}

/**
 * The page envelope: `count` with `countExact` (when counted; the seed format says `count_exact:
 * false` only for a lower bound, so an exact page keeps the seed's shape), `next`, `previous`,
 * `results`.
 */
export interface PageBody {
  count?: number;
  countExact?: boolean;
  count_exact?: false;
  next?: string | null;
  previous?: string | null;
  results: (EventLogJson | SeedEventLog)[];
}

/**
 * Builds the envelope. The default format always carries `next` and `previous` (null when there
 * is no such page); the seed format omits them when null, as the seed's example response does.
 */
export function renderPage(
  page: {
    results: EventLog[];
    count?: number | undefined;
    /** Whether `count` is exact (a lower bound when false); exact when not given. */
    countExact?: boolean | undefined;
    next: string | null;
    previous: string | null;
  },
  format: ResponseFormat,
): PageBody {
  const results = page.results.map((e) => renderEntry(e, format));
  const exact = page.countExact !== false;
  if (format === 'seed') {
    const count = page.count === undefined ? {} : { count: page.count };
    return {
      ...count,
      ...(page.count !== undefined && !exact && { count_exact: false as const }),
      ...(page.next !== null && { next: page.next }),
      ...(page.previous !== null && { previous: page.previous }),
      results,
    };
  }
  const count = page.count === undefined ? {} : { count: page.count, countExact: exact };
  return { ...count, next: page.next, previous: page.previous, results };
}

/** `path?params` with `replace` applied (a null value drops the parameter). */
export function linkTo(
  path: string,
  params: readonly [string, string][],
  replace: Record<string, string | null>,
): string {
  const search = new URLSearchParams(params.filter(([k]) => !(k in replace)));
  for (const [k, v] of Object.entries(replace)) if (v !== null) search.append(k, v);
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}
