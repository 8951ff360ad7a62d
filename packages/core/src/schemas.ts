import { z } from 'zod';
import { inTimestampRange, TIMESTAMP_RANGE_MESSAGE } from './timestamp-range';

/** A JSON object: what `values`, `metadata` and each side of `changes` hold. */
export const jsonObjectSchema = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof jsonObjectSchema>;

/** `{ oldValue, newValue }`: the changed keys before and after, as `createDiffSchema` builds it. */
export const changesSchema = z.object({
  oldValue: jsonObjectSchema,
  newValue: jsonObjectSchema,
});
export type Changes = z.infer<typeof changesSchema>;

// PostgreSQL cannot store or even bind U+0000 in text; refuse it up front on every backend.
const noNul = (s: string) => !s.includes('\u0000');
const NUL_MESSAGE = 'must not contain U+0000 (NUL)';
const text = (max: number) => z.string().min(1).max(max).refine(noNul, NUL_MESSAGE);
const shortText = text(255);
/** A Date every storage holds exactly: within `TIMESTAMP_RANGE`. */
const instant = z.date().refine(inTimestampRange, TIMESTAMP_RANGE_MESSAGE);

/** One stored entry, as every storage returns it. Nullable fields are `null`, never `undefined`. */
export const eventLogSchema = z.object({
  id: z.string(),
  timestamp: z.date(),
  actorId: z.string().nullable(),
  /** Display snapshot of the actor ("John Doe"), kept even when the user is deleted later. */
  actorLabel: z.string().nullable(),
  /** The rendered message. */
  message: z.string(),
  /** The template the message was rendered from, so it can be re-rendered or translated. */
  template: z.string().nullable(),
  /** The resolved placeholder values, keyed by placeholder (`item__name` → `"Certificate A"`). */
  values: jsonObjectSchema.nullable(),
  tool: z.string(),
  action: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  changes: changesSchema.nullable(),
  /** ip, user agent, request id and whatever the caller adds. */
  metadata: jsonObjectSchema.nullable(),
  /** Idempotency key: a retried `log()` with the same `eventId` (and content) writes once. */
  eventId: z.string().nullable(),
  /**
   * Groups the entries of one action (a captured statement, a `logMany` with `batchId`): list
   * them with `list({ batchId })`. Null when the entry was written alone.
   */
  batchId: z.string().nullable(),
  /** With integrity on: the partition (chain) the entry belongs to; null otherwise. */
  chain: z.string().nullable(),
  /** With integrity on: position in its chain, gap-free from 1; null otherwise. */
  seq: z.number().int().positive().nullable(),
  /** With integrity on: the previous entry's `hash` (64 zeros for the first); null otherwise. */
  prevHash: z.string().nullable(),
  /** With integrity on: SHA-256 (hex) over `prevHash`, `seq` and the entry; null otherwise. */
  hash: z.string().nullable(),
});
export type EventLog = z.infer<typeof eventLogSchema>;

/** The fields only the hash chain fills in (null on entries written with integrity off). */
export type ChainFields = Pick<EventLog, 'chain' | 'seq' | 'prevHash' | 'hash'>;

/** The chain fields of an entry written with integrity off. */
export const UNCHAINED: Readonly<ChainFields> = Object.freeze({
  chain: null,
  seq: null,
  prevHash: null,
  hash: null,
});

/**
 * What core hands to `EventLogStorage.insert`: a complete entry without its id and without the
 * chain fields (a storage returns those as null; `appendChained` receives them filled in).
 */
export type NewEventLog = Omit<EventLog, 'id' | keyof ChainFields>;

/** A reference to the affected object when it is not an ORM instance or class instance. */
export const objectRefSchema = z.object({
  type: shortText,
  id: z.union([z.string().min(1).max(255), z.number().finite(), z.bigint()]),
});
export type ObjectRef = z.infer<typeof objectRefSchema>;

/** A reference to the actor when it is not a user object. */
export const actorRefSchema = z.object({
  id: z.union([z.string().min(1).max(255), z.number().finite(), z.bigint()]),
  label: z.string().max(255).nullish(),
});
export type ActorRef = z.infer<typeof actorRefSchema>;

/** What `EventLogService.log()` takes. */
export const logInputSchema = z.object({
  /** Message template with `{prefix__attr}` placeholders; `{{` and `}}` are literal braces. */
  template: z.string().min(1).max(10_000),
  /** Objects or values the placeholders read from, keyed by the whole placeholder. */
  values: z.record(z.string(), z.unknown()).optional(),
  /** The affected object: an ORM instance, a class instance with an `id`, or `{ type, id }`. */
  object: z.unknown().optional(),
  /** Who did it: a user object, `{ id, label }`, or omitted to take it from the request context. */
  actor: z.unknown().optional(),
  tool: shortText,
  /** `EventLogAction.CREATE | UPDATE | DELETE` or any custom string. */
  action: shortText,
  changes: changesSchema.nullish(),
  metadata: jsonObjectSchema.optional(),
  eventId: z.string().min(1).max(255).optional(),
  /** When it happened, within `TIMESTAMP_RANGE`; defaults to now (the service's `clock`). */
  timestamp: instant.optional(),
});
export type LogInput = z.input<typeof logInputSchema>;

const oneOrMany = z
  .union([shortText, z.array(shortText).min(1).max(100)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

/** Hard ceiling on one page, whatever the caller asks. */
export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 50;
/**
 * Default `EventLogQuery.countLimit`: `withCount: true` counts this many matches at most, so a
 * count costs about as much as reading that many index entries, whatever the size of the log.
 */
export const DEFAULT_COUNT_LIMIT = 10_000;
/** Largest `EventLogQuery.countLimit`. */
export const MAX_COUNT_LIMIT = 1_000_000;

/** What `list()` takes. `from` is inclusive, `to` exclusive. */
export const eventLogQuerySchema = z
  .object({
    tool: oneOrMany.optional(),
    action: oneOrMany.optional(),
    actorId: shortText.optional(),
    objectType: shortText.optional(),
    objectId: shortText.optional(),
    /** Within `TIMESTAMP_RANGE`, as every stored timestamp is. */
    from: instant.optional(),
    /** Within `TIMESTAMP_RANGE`, as every stored timestamp is. */
    to: instant.optional(),
    /** Case-insensitive (ASCII) substring of the message; `%` and `_` are literal. */
    search: text(200).optional(),
    /** Only entries written in this batch (`EventLog.batchId`). */
    batchId: shortText.optional(),
    /** Only entries whose `changes` touch one of these top-level keys (served by an index). */
    changedKey: oneOrMany.optional(),
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
    /** The previous page's `nextCursor`; null or absent for the first page. */
    cursor: text(1000).nullish(),
    offset: z.number().int().min(0).max(10_000_000).default(0),
    order: z.enum(['desc', 'asc']).default('desc'),
    /**
     * Adds `count` and `countExact` to the page (all matches, ignoring cursor, offset and limit).
     * `true`: counts at most `countLimit` matches, so its cost stays bounded at any size: exact
     * up to `countLimit` (`countExact: true`); beyond it `count` is `countLimit` and `countExact`
     * false, meaning "more than this". `'exact'`: counts every match (a full count, whose cost
     * grows with the matches). `false` (default): no count.
     */
    withCount: z.union([z.boolean(), z.literal('exact')]).default(false),
    /**
     * Where `withCount: true` stops counting (default `DEFAULT_COUNT_LIMIT`, or the service's
     * `countLimit` option). Ignored by `withCount: 'exact'`.
     */
    countLimit: z.number().int().min(1).max(MAX_COUNT_LIMIT).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from.getTime() > q.to.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: '`from` must not be after `to`' });
    }
    if (q.cursor && q.offset > 0) {
      ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'use either cursor or offset' });
    }
    if (q.objectId !== undefined && q.objectType === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['objectId'],
        message: '`objectId` needs `objectType`',
      });
    }
  });
export type EventLogQuery = z.input<typeof eventLogQuerySchema>;
/** A validated query with defaults applied and `tool`/`action` as arrays: what storage receives. */
export type StorageQuery = z.output<typeof eventLogQuerySchema>;

/** One page of `list()`. `count` and `countExact` are present only when `withCount` was asked. */
export interface EventLogPage {
  results: EventLog[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
  /**
   * How many entries match the query's filters. Read it with `countExact`: when that is false
   * (a `withCount: true` count that reached `countLimit`), more than `count` entries match.
   */
  count?: number;
  /**
   * True when `count` is the number of matches; false when it is a lower bound: more than
   * `count` entries match (the count stopped at `countLimit`). Present exactly when `count` is.
   */
  countExact?: boolean;
}
