import { getContext } from './context';
import { ValidationError } from './errors';
import { CUT_TOOL, RESERVED_TOOL_MESSAGE } from './integrity/cut-record';
import { unstorable } from './json/budget';
import { defineKey, isPlainObject } from './json/guard';
import { type JsonLimits, PayloadEncoder } from './json/payload-encoder';
import { type Redaction, type RedactOptions, resolveRedaction } from './json/redact';
import type { JsonValue } from './json/types';
import {
  checkResolvedActor,
  checkResolvedObject,
  defaultResolveActor,
  defaultResolveObject,
} from './refs';
import { type JsonObject, type LogInput, logInputSchema, type NewEventLog } from './schemas';
import type { EventLogServiceOptions } from './service-options';
import type { MissingPlaceholder, RenderOptions } from './template/index';
import { renderTemplate } from './template/index';
import { inTimestampRange, TIMESTAMP_RANGE_MESSAGE } from './timestamp-range';
import { parseOrThrow } from './validate';

/**
 * What a `log()` call with an `eventId` said itself, as opposed to what core filled in (the
 * clock's timestamp, the request context's actor and metadata): what tells a retry of the call
 * from a reuse of its `eventId` (see `differingFields`).
 */
export interface CallerGiven {
  actor: boolean;
  timestamp: boolean;
  /** The keys of the call's own `metadata`, as encoded (context keys it did not give excluded). */
  metadataKeys: readonly string[];
}

/** Set by `prepareEntry` for entries with an `eventId` only, so other calls pay nothing. */
export const callerGiven: WeakMap<NewEventLog, CallerGiven> = new WeakMap();

/** The service options with defaults applied, as `prepareEntry` needs them. */
export interface PrepareSettings {
  redact: false | RedactOptions;
  onMissing: MissingPlaceholder;
  resolveObject: NonNullable<EventLogServiceOptions['resolveObject']>;
  resolveActor: NonNullable<EventLogServiceOptions['resolveActor']>;
  limits: JsonLimits;
  clock: () => Date;
  /** The compiled secret matcher and mask, or null when redaction is off. */
  redaction: Redaction | null;
  /** Encodes `changes`, `values` and `metadata` within `limits`, secrets masked. */
  encoder: PayloadEncoder;
  /** What `renderTemplate` is called with, built once. */
  render: RenderOptions;
}

/** Fills in the defaults of `EventLogServiceOptions`. */
export function settingsFrom(options: EventLogServiceOptions, limits: JsonLimits): PrepareSettings {
  const redact = options.redact ?? {};
  const onMissing = options.onMissingPlaceholder ?? 'throw';
  const redaction = resolveRedaction(redact);
  return {
    redact,
    onMissing,
    resolveObject: options.resolveObject ?? defaultResolveObject,
    resolveActor: options.resolveActor ?? defaultResolveActor,
    limits,
    clock: options.clock ?? (() => new Date()),
    redaction,
    encoder: new PayloadEncoder(limits, redaction),
    render: { onMissing, redact: redact === false ? false : redact, maxDepth: limits.maxDepth },
  };
}

/** Prefixes the issue paths of a `ValidationError` (the input's index in `logMany`). */
function withPrefix(prefix: (string | number)[], error: unknown): unknown {
  if (prefix.length === 0 || !(error instanceof ValidationError)) return error;
  const issues = error.issues.map((i) => ({ ...i, path: [...prefix, ...i.path] }));
  return new ValidationError(`${prefix.join('.')}: ${error.message}`, issues, { cause: error });
}

function isEmpty(obj: object): boolean {
  for (const _ in obj) return false;
  return Object.getOwnPropertyNames(obj).length === 0;
}

/** The fields of a log input that `prepareEntry` reads after validation. */
type Checked = Pick<LogInput, 'template' | 'tool' | 'action' | 'eventId' | 'timestamp' | 'object'>;

/**
 * Validates one `log()` input and builds the entry to store: renders the template, resolves
 * object and actor (the actor from the request context when the input omits it), merges the
 * context's metadata under the input's, encodes `changes`/`values`/`metadata` as JSON within the
 * limits and masks secrets. Throws `ValidationError` (naming the field) or `TemplateError`; tool
 * `eventlog` is reserved to eventlog's own records (see `CUT_TOOL`).
 */
export function prepareEntry(
  input: LogInput,
  settings: PrepareSettings,
  prefix: (string | number)[] = [],
): NewEventLog {
  // The common shape is checked by hand; zod decides (and words the error) for anything else.
  const parsed: Checked =
    commonShape(input) ?? parseOrThrow(logInputSchema, shallowStandIn(input), 'log input', prefix);
  try {
    return build(input, parsed, settings);
  } catch (error) {
    throw withPrefix(prefix, error);
  }
}

function build(input: LogInput, parsed: Checked, settings: PrepareSettings): NewEventLog {
  if (parsed.tool === CUT_TOOL) throw ValidationError.field('tool', RESERVED_TOOL_MESSAGE);
  // The raw input, not zod's output: zod rebuilds records and drops `__proto__` keys.
  const raw = input as LogInput & { values?: unknown; metadata?: unknown; changes?: unknown };
  const { encoder } = settings;

  // Encoding first: an oversize payload fails at the budget before anything else walks it.
  let changes: JsonValue = null;
  if (raw.changes != null) {
    const budget = encoder.budget();
    changes = encoder.encode(raw.changes, 'changes', budget);
    encoder.finish(changes, 'changes', budget);
  }
  const metadataBudget = encoder.budget();
  const metadata = (
    raw.metadata === undefined ? {} : encoder.encode(raw.metadata, 'metadata', metadataBudget)
  ) as JsonObject;
  const metadataKeys = parsed.eventId === undefined ? null : Object.keys(metadata);

  const rendered = render(parsed.template, raw.values, settings);
  // The renderer stores only JSON primitives, masked: a template without placeholders leaves a
  // fresh `{}`, which has nothing to encode, measure or refuse.
  let values = rendered.values;
  if (!isEmpty(values)) {
    const valuesBudget = encoder.budget();
    values = encoder.encode(values, 'values', valuesBudget) as JsonObject;
    encoder.finish(values, 'values', valuesBudget);
  }

  const object = checkResolvedObject(settings.resolveObject(parsed.object));
  const context = getContext();
  const actorSource = input.actor === undefined ? context?.actor : input.actor;
  const actor = checkResolvedActor(settings.resolveActor(actorSource));

  if (context !== undefined) {
    const fromContext: Record<string, unknown> = { ...context.metadata };
    if (context.ip !== undefined) fromContext.ip = context.ip;
    if (context.userAgent !== undefined) fromContext.userAgent = context.userAgent;
    if (context.requestId !== undefined) fromContext.requestId = context.requestId;
    const extra = encoder.encode(fromContext, 'metadata', metadataBudget) as JsonObject;
    // The call wins: context keys fill in only what the call did not say.
    for (const key of Object.keys(extra)) {
      if (!Object.hasOwn(metadata, key)) defineKey(metadata, key, extra[key]);
    }
  }
  encoder.finish(metadata, 'metadata', metadataBudget);

  const timestamp = parsed.timestamp ?? settings.clock();
  if (!(timestamp instanceof Date) || !inTimestampRange(timestamp)) {
    throw ValidationError.field('timestamp', TIMESTAMP_RANGE_MESSAGE);
  }

  const entry: NewEventLog = {
    timestamp,
    actorId: actor?.id ?? null,
    actorLabel: actor?.label ?? null,
    message: rendered.message,
    template: parsed.template,
    values: isEmpty(values) && raw.values === undefined ? null : values,
    tool: parsed.tool,
    action: parsed.action,
    objectType: object?.type ?? null,
    objectId: object?.id ?? null,
    changes: changes as NewEventLog['changes'],
    metadata: isEmpty(metadata) ? null : metadata,
    eventId: parsed.eventId ?? null,
    batchId: null,
  };
  refuseUnstorableText(entry);
  if (metadataKeys !== null) {
    callerGiven.set(entry, {
      actor: input.actor !== undefined,
      timestamp: parsed.timestamp !== undefined,
      metadataKeys,
    });
  }
  return entry;
}

/** The error for a message (or template) over `limits.maxPayloadBytes`. */
function tooBig(field: string, maxBytes: number, cause?: unknown): ValidationError {
  const message = `is larger than ${maxBytes} bytes`;
  return new ValidationError(`${field}: ${message}`, [{ path: [field], message }], { cause });
}

/** True when `text` is over `maxBytes` in UTF-8, measured only when the length cannot decide. */
function overBytes(text: string, maxBytes: number): boolean {
  // UTF-8 takes 1 to 3 bytes per UTF-16 unit (a surrogate pair, two units, takes 4).
  if (text.length > maxBytes) return true;
  return text.length * 3 > maxBytes && Buffer.byteLength(text) > maxBytes;
}

/**
 * Renders the template, holding the message to `limits.maxPayloadBytes` like the payloads: a
 * placeholder repeated over a large value could otherwise store a message many times the limit,
 * or pass the engine's longest string (a `RangeError` while concatenating).
 */
function render(template: string, values: unknown, settings: PrepareSettings) {
  const { maxPayloadBytes } = settings.limits;
  let rendered: ReturnType<typeof renderTemplate>;
  try {
    rendered = renderTemplate(template, values as Record<string, unknown>, settings.render);
  } catch (error) {
    // Placeholder errors are TemplateErrors already; a RangeError is the message's own length.
    if (error instanceof RangeError) throw tooBig('message', maxPayloadBytes, error);
    throw error;
  }
  // A rope of at most one piece per placeholder: its length is known without flattening it.
  if (overBytes(rendered.message, maxPayloadBytes)) throw tooBig('message', maxPayloadBytes);
  // The template is stored too (at most 10,000 units, so rendering it first costs little).
  if (overBytes(template, maxPayloadBytes)) throw tooBig('template', maxPayloadBytes);
  return rendered;
}

/** The input field each top-level text column comes from, for the error's path. */
const TEXT_SOURCES: readonly (readonly [keyof NewEventLog & string, string])[] = [
  ['template', 'template'],
  // Template and values are checked first, so only the template can make the message fail.
  ['message', 'template'],
  ['tool', 'tool'],
  ['action', 'action'],
  ['eventId', 'eventId'],
  ['actorId', 'actor'],
  ['actorLabel', 'actor'],
  ['objectType', 'object'],
  ['objectId', 'object'],
];

function bad(s: string | null): boolean {
  return s !== null && unstorable(s) !== null;
}

/**
 * Payloads were checked while encoding; this covers the text columns: U+0000 (see `NUL_MESSAGE`)
 * and lone surrogates (see `SURROGATE_MESSAGE`) have no exact stored form on every backend.
 */
function refuseUnstorableText(e: NewEventLog): void {
  // One test per column on the hot path; the table names the field only once something is found.
  if (
    bad(e.message) ||
    bad(e.template) ||
    bad(e.tool) ||
    bad(e.action) ||
    bad(e.eventId) ||
    bad(e.actorId) ||
    bad(e.actorLabel) ||
    bad(e.objectType) ||
    bad(e.objectId)
  ) {
    for (const [column, field] of TEXT_SOURCES) {
      const why = unstorable((e[column] as string | null) ?? '');
      if (why !== null) throw ValidationError.field(field, why);
    }
  }
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && isPlainObject(value);
}

function isText(v: unknown, max: number): boolean {
  return typeof v === 'string' && v.length >= 1 && v.length <= max;
}

/**
 * The checked fields when `input` certainly passes `logInputSchema`: a plain object whose fields
 * have the plainest accepted forms. Stricter than the schema, never looser, so null only means
 * "ask zod", which accepts the rest or builds the error naming the field. Each field is read
 * once and the snapshot is what is used, as with zod's output, so a getter cannot answer the
 * check with one value and the entry with another.
 */
function commonShape(input: unknown): Checked | null {
  if (!isPlainRecord(input)) return null;
  const { template, tool, action, object, values, metadata, changes, eventId, timestamp } = input;
  const ok =
    isText(template, 10_000) &&
    isText(tool, 255) &&
    isText(action, 255) &&
    (values === undefined || isPlainRecord(values)) &&
    (metadata === undefined || isPlainRecord(metadata)) &&
    (changes == null ||
      (isPlainRecord(changes) &&
        isPlainRecord(changes.oldValue) &&
        isPlainRecord(changes.newValue))) &&
    (eventId === undefined || isText(eventId, 255)) &&
    (timestamp === undefined || (timestamp instanceof Date && !Number.isNaN(timestamp.getTime())));
  if (!ok) return null;
  return {
    template: template as string,
    tool: tool as string,
    action: action as string,
    object,
    eventId: eventId as string | undefined,
    timestamp: timestamp as Date | undefined,
  };
}

/**
 * What zod validates: the input with each plain-object record (`values`, `metadata`, the two
 * sides of `changes`) replaced by `{}`. Their entries are `z.unknown()`, so this loses no check,
 * and keeps validation from walking a million keys that the size limit will refuse anyway.
 */
function shallowStandIn(input: LogInput): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const raw = input as Record<string, unknown>;
  const out: Record<string, unknown> = { ...raw };
  for (const key of ['values', 'metadata'] as const) {
    if (isPlainRecord(raw[key])) out[key] = {};
  }
  const changes = raw.changes;
  if (isPlainRecord(changes)) {
    out.changes = {
      ...changes,
      oldValue: isPlainRecord(changes.oldValue) ? {} : changes.oldValue,
      newValue: isPlainRecord(changes.newValue) ? {} : changes.newValue,
    };
  }
  return out;
}
