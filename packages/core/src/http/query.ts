import { z } from 'zod';
import { ValidationError, type ValidationIssue } from '../errors';
import type { EventLogQuery } from '../schemas';

/** Largest `limit` / `page_size` the HTTP routes accept. */
export const HTTP_MAX_LIMIT = 500;
/** Most values one repeatable parameter (`tool`, `action`) may carry. */
export const HTTP_MAX_REPEATS = 50;
/** Highest page number; keeps `offset` within what every storage accepts. */
export const HTTP_MAX_PAGE = 20_000;

// U+0000 can never match a stored entry (log() refuses it) and PostgreSQL refuses it even as a
// bound parameter: a 400 here instead of a driver error (500) there.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing U+0000 is the point.
const noNul = [/^[^\u0000]*$/, 'must not contain U+0000 (NUL)'] as const;
const text = z
  .string()
  .min(1)
  .max(255)
  .regex(...noNul);
const many = z.array(text).min(1).max(HTTP_MAX_REPEATS);
const whole = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .pipe(z.coerce.number<string>().int().min(min).max(max));
/** An instant in a query string: ISO 8601 with a timezone. */
export const httpInstantSchema = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time with a timezone, e.g. 2024-01-31T12:00:00Z',
});

/**
 * The query parameters of the list routes, as strings off the query string. Conversion to
 * numbers and dates happens after validation, so `z.toJSONSchema` of each field (output mode) is
 * exactly what the OpenAPI document publishes.
 */
export const httpListQuerySchema = z
  .object({
    tool: many.describe('Only entries of these tools (repeatable).').optional(),
    action: many.describe('Only entries with these actions (repeatable).').optional(),
    actor: text.describe('Only entries of this actor id.').optional(),
    object_type: text.describe('Only entries about objects of this type.').optional(),
    object_id: text.describe('Only entries about this object (needs object_type).').optional(),
    changed: many
      .describe('Only entries whose changes touch one of these top-level keys (repeatable).')
      .optional(),
    batch: text.describe('Only entries of this batch (`batchId`).').optional(),
    from: httpInstantSchema.describe('Entries at or after this instant.').optional(),
    to: httpInstantSchema.describe('Entries strictly before this instant.').optional(),
    search: z
      .string()
      .min(1)
      .max(200)
      .regex(...noNul)
      .describe('Message contains (case-insensitive).')
      .optional(),
    limit: whole(1, HTTP_MAX_LIMIT)
      .describe('Page size of cursor pagination (default 50).')
      .optional(),
    cursor: z
      .string()
      .min(1)
      .max(1000)
      .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor returned by this API')
      .describe('The `next` link of the previous page carries it.')
      .optional(),
    page: whole(1, HTTP_MAX_PAGE).describe('Page number (page style, counts always).').optional(),
    page_size: whole(1, HTTP_MAX_LIMIT)
      .describe('Page size of page style (default 50).')
      .optional(),
    order: z.enum(['desc', 'asc']).describe('Newest first (default) or oldest first.').optional(),
    with_count: z
      .enum(['true', 'false', 'exact'])
      .describe(
        'Add `count` and `countExact` (page style always counts). `true`: counts up to the server’s limit (10,000 by default) and stops there, so `count` is exact below it and a lower bound above it (`countExact: false`: more entries match). `exact`: counts every match, however many (slower on large logs).',
      )
      .optional(),
  })
  .strict();

/** A parameter name of the list routes. */
export type HttpListParam = keyof typeof httpListQuerySchema.shape;
const REPEATABLE: ReadonlySet<string> = new Set(['tool', 'action', 'changed']);
const KNOWN: ReadonlySet<string> = new Set(Object.keys(httpListQuerySchema.shape));
/** Stop reading a hostile query string after this many problems. */
const MAX_ISSUES = 10;

/** A parsed list request: the core query plus what the links need. */
export interface ParsedListQuery {
  query: EventLogQuery;
  /** `'page'` when `page` or `page_size` was given: count always, numbered links. */
  style: 'cursor' | 'page';
  page: number;
  pageSize: number;
  /** The validated parameters in their original order, to rebuild links that keep filters. */
  params: [string, string][];
}

/** Maps a core `EventLogQuery` field to the query parameter a client sent. */
export function paramOfField(field: string | number | undefined, style: 'cursor' | 'page'): string {
  switch (field) {
    case 'actorId':
      return 'actor';
    case 'objectType':
      return 'object_type';
    case 'objectId':
      return 'object_id';
    case 'withCount':
      return 'with_count';
    case 'batchId':
      return 'batch';
    case 'changedKey':
      return 'changed';
    case 'offset':
      return 'page';
    case 'limit':
      return style === 'page' ? 'page_size' : 'limit';
    default:
      return typeof field === 'string' ? field : 'query';
  }
}

const clip = (s: string): string => (s.length > 64 ? `${s.slice(0, 64)}…` : s);

function fail(issues: ValidationIssue[]): never {
  const first = issues[0];
  throw new ValidationError(
    first ? `${first.path.join('.')}: ${first.message}` : 'invalid query string',
    issues,
  );
}

/**
 * Parses a raw query string into a core query. Refuses (with a `ValidationError` whose issue
 * paths are the offending parameter names) unknown parameters, brackets (`tool[$ne]=x`, so no
 * operator object ever reaches a storage), a scalar given twice, more than `HTTP_MAX_REPEATS`
 * values, malformed values, `from` after `to` and mixed pagination styles.
 *
 * @param fixed - parameters the route sets itself (the object route's `object_type`/`object_id`).
 */
export function parseListQuery(
  raw: string,
  fixed: ReadonlySet<string> = new Set(),
): ParsedListQuery {
  const issues: ValidationIssue[] = [];
  const input = new Map<string, string | string[]>();
  const params: [string, string][] = [];
  for (const [key, value] of new URLSearchParams(raw)) {
    if (issues.length >= MAX_ISSUES) break;
    const bracket = key.search(/[[\]]/);
    if (bracket !== -1) {
      const base = clip(key.slice(0, bracket) || key);
      issues.push({ path: [base], message: 'nested objects and arrays are not accepted' });
      continue;
    }
    if (!KNOWN.has(key)) {
      issues.push({ path: [clip(key)], message: 'is not a known parameter' });
      continue;
    }
    if (fixed.has(key)) {
      issues.push({ path: [key], message: 'is set by this route and cannot be given' });
      continue;
    }
    const seen = input.get(key);
    if (REPEATABLE.has(key)) {
      const list = (seen as string[] | undefined) ?? [];
      if (list.length >= HTTP_MAX_REPEATS) {
        issues.push({ path: [key], message: `accepts at most ${HTTP_MAX_REPEATS} values` });
        break;
      }
      list.push(value);
      input.set(key, list);
    } else if (seen !== undefined) {
      issues.push({ path: [key], message: 'must be given once' });
      continue;
    } else {
      input.set(key, value);
    }
    params.push([key, value]);
  }
  if (issues.length > 0) fail(issues);

  const parsed = httpListQuerySchema.safeParse(Object.fromEntries(input));
  if (!parsed.success) {
    fail(
      parsed.error.issues.map((i) => ({
        path: [String(i.path[0] ?? 'query')],
        message: i.message,
      })),
    );
  }
  const q = parsed.data;
  const style = q.page !== undefined || q.page_size !== undefined ? 'page' : 'cursor';
  const from = q.from === undefined ? undefined : new Date(q.from);
  const to = q.to === undefined ? undefined : new Date(q.to);
  if (from && to && from.getTime() > to.getTime()) {
    issues.push({ path: ['from'], message: 'must not be after `to`' });
  }
  if (style === 'page' && q.cursor !== undefined) {
    issues.push({ path: ['cursor'], message: 'cannot be combined with page or page_size' });
  }
  if (style === 'page' && q.limit !== undefined) {
    issues.push({ path: ['limit'], message: 'use page_size with page' });
  }
  if (q.object_id !== undefined && q.object_type === undefined && !fixed.has('object_type')) {
    issues.push({ path: ['object_id'], message: 'needs object_type' });
  }
  if (issues.length > 0) fail(issues);

  const page = q.page ?? 1;
  const pageSize = style === 'page' ? (q.page_size ?? 50) : (q.limit ?? 50);
  const query: EventLogQuery = {
    ...(q.tool && { tool: q.tool }),
    ...(q.action && { action: q.action }),
    ...(q.actor !== undefined && { actorId: q.actor }),
    ...(q.object_type !== undefined && { objectType: q.object_type }),
    ...(q.object_id !== undefined && { objectId: q.object_id }),
    ...(q.batch !== undefined && { batchId: q.batch }),
    ...(q.changed && { changedKey: q.changed }),
    ...(from && { from }),
    ...(to && { to }),
    ...(q.search !== undefined && { search: q.search }),
    ...(q.cursor !== undefined && { cursor: q.cursor }),
    limit: pageSize,
    offset: style === 'page' ? (page - 1) * pageSize : 0,
    order: q.order ?? 'desc',
    withCount: q.with_count === 'exact' ? 'exact' : style === 'page' || q.with_count === 'true',
  };
  return { query, style, page, pageSize, params };
}
