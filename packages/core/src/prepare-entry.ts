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
  const parsed = parseOrThrow(logInputSchema, input, 'log input', prefix);
  return withPrefix(prefix, () => {
    // zod rebuilds records and drops `__proto__` keys; the raw input keeps them as data.
    const raw = input as LogInput & { values?: unknown; metadata?: unknown; changes?: unknown };
    const redactOn = settings.redact !== false;
    const mask = <T>(value: T, field: string): T =>
      settings.redact === false ? value : redact(value, { ...settings.redact, field });

    const rendered = renderTemplate(parsed.template, raw.values as Record<string, unknown>, {
      onMissing: settings.onMissing,
      redact: redactOn ? settings.redact : false,
      maxDepth: settings.limits.maxDepth,
    });

    const object = checkResolvedObject(settings.resolveObject(parsed.object));
    const context = getContext();
    const actorSource = input.actor === undefined ? context?.actor : input.actor;
    const actor = checkResolvedActor(settings.resolveActor(actorSource));

    const fromContext: JsonObject = {};
    if (context?.ip !== undefined) fromContext.ip = context.ip;
    if (context?.userAgent !== undefined) fromContext.userAgent = context.userAgent;
    if (context?.requestId !== undefined) fromContext.requestId = context.requestId;
    const metadataInput = { ...fromContext, ...context?.metadata, ...(raw.metadata as object) };

    const changes =
      raw.changes == null ? null : toJsonData(raw.changes, ['changes'], settings.limits);
    const values = toJsonData(rendered.values, ['values'], settings.limits) as JsonObject;
    const metadata = isEmpty(metadataInput)
      ? null
      : (toJsonData(metadataInput, ['metadata'], settings.limits) as JsonObject);

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
      metadata: metadata === null ? null : mask(metadata, 'metadata'),
      eventId: parsed.eventId ?? null,
    };
  });
}
