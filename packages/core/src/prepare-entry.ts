import { getContext } from './context';
import { ValidationError } from './errors';
import { type RedactOptions, redact } from './redact';
import {
  checkResolvedActor,
  checkResolvedObject,
  defaultResolveActor,
  defaultResolveObject,
} from './refs';
import { type JsonObject, type LogInput, logInputSchema, type NewEventLog } from './schemas';
import type { EventLogServiceOptions } from './service-options';
import type { MissingPlaceholder } from './template/index';
import { renderTemplate } from './template/index';
import { type JsonLimits, parseOrThrow, toJsonData } from './validate';

/** The service options with defaults applied, as `prepareEntry` needs them. */
export interface PrepareSettings {
  redact: false | RedactOptions;
  onMissing: MissingPlaceholder;
  resolveObject: NonNullable<EventLogServiceOptions['resolveObject']>;
  resolveActor: NonNullable<EventLogServiceOptions['resolveActor']>;
  limits: JsonLimits;
  clock: () => Date;
}

/** Fills in the defaults of `EventLogServiceOptions`. */
export function settingsFrom(options: EventLogServiceOptions, limits: JsonLimits): PrepareSettings {
  return {
    redact: options.redact ?? {},
    onMissing: options.onMissingPlaceholder ?? 'throw',
    resolveObject: options.resolveObject ?? defaultResolveObject,
    resolveActor: options.resolveActor ?? defaultResolveActor,
    limits,
    clock: options.clock ?? (() => new Date()),
  };
}

/** Prefixes the issue paths of a `ValidationError` (the input's index in `logMany`). */
function withPrefix<T>(prefix: (string | number)[], fn: () => T): T {
  if (prefix.length === 0) return fn();
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const issues = error.issues.map((i) => ({ ...i, path: [...prefix, ...i.path] }));
    throw new ValidationError(`${prefix.join('.')}: ${error.message}`, issues, { cause: error });
  }
}

function isEmpty(obj: object): boolean {
  for (const _ in obj) return false;
  return Object.getOwnPropertyNames(obj).length === 0;
}

/**
 * Validates one `log()` input and builds the entry to store: renders the template, resolves
 * object and actor (the actor from the request context when the input omits it), merges the
 * context's metadata under the input's, encodes `changes`/`values`/`metadata` as JSON within the
 * limits and masks secrets. Throws `ValidationError` (naming the field) or `TemplateError`.
 */
export function prepareEntry(
  input: LogInput,
  settings: PrepareSettings,
  prefix: (string | number)[] = [],
): NewEventLog {
  const parsed = parseOrThrow(logInputSchema, shallowStandIn(input), 'log input', prefix);
  return withPrefix(prefix, () => {
    // The raw input, not zod's output: zod rebuilds records and drops `__proto__` keys.
    const raw = input as LogInput & { values?: unknown; metadata?: unknown; changes?: unknown };
    const mask = <T>(value: T, field: string): T =>
      settings.redact === false ? value : redact(value, { ...settings.redact, field });

    // Encoding first: an oversize payload fails at the budget before anything else walks it.
    const changes =
      raw.changes == null ? null : toJsonData(raw.changes, ['changes'], settings.limits);
    const metadataBudget = { bytes: 0 };
    const callMetadata =
      raw.metadata === undefined
        ? {}
        : (toJsonData(raw.metadata, ['metadata'], settings.limits, metadataBudget) as JsonObject);

    const rendered = renderTemplate(parsed.template, raw.values as Record<string, unknown>, {
      onMissing: settings.onMissing,
      redact: settings.redact !== false ? settings.redact : false,
      maxDepth: settings.limits.maxDepth,
    });
    const values = toJsonData(rendered.values, ['values'], settings.limits) as JsonObject;

    const object = checkResolvedObject(settings.resolveObject(parsed.object));
    const context = getContext();
    const actorSource = input.actor === undefined ? context?.actor : input.actor;
    const actor = checkResolvedActor(settings.resolveActor(actorSource));

    const fromContext: Record<string, unknown> = { ...context?.metadata };
    if (context?.ip !== undefined) fromContext.ip = context.ip;
    if (context?.userAgent !== undefined) fromContext.userAgent = context.userAgent;
    if (context?.requestId !== undefined) fromContext.requestId = context.requestId;
    const contextMetadata = toJsonData(fromContext, ['metadata'], settings.limits, metadataBudget);
    // The call wins: context keys fill in only what the call did not say.
    for (const [key, value] of Object.entries(contextMetadata as JsonObject)) {
      if (!Object.hasOwn(callMetadata, key)) {
        Object.defineProperty(callMetadata, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }

    return {
      timestamp: parsed.timestamp ?? settings.clock(),
      actorId: actor?.id ?? null,
      actorLabel: actor?.label ?? null,
      message: rendered.message,
      template: parsed.template,
      values: isEmpty(values) && raw.values === undefined ? null : mask(values, 'values'),
      tool: parsed.tool,
      action: parsed.action,
      objectType: object?.type ?? null,
      objectId: object?.id ?? null,
      changes: changes === null ? null : mask(changes as NewEventLog['changes'], 'changes'),
      metadata: isEmpty(callMetadata) ? null : mask(callMetadata, 'metadata'),
      eventId: parsed.eventId ?? null,
    };
  });
}

function isPlainRecord(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
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
    const c = changes as Record<string, unknown>;
    out.changes = {
      ...c,
      oldValue: isPlainRecord(c.oldValue) ? {} : c.oldValue,
      newValue: isPlainRecord(c.newValue) ? {} : c.newValue,
    };
  }
  return out;
}
