/** Machine-readable error codes, stable across releases. */
export type EventLogErrorCode =
  | 'VALIDATION_ERROR'
  | 'TEMPLATE_ERROR'
  | 'DIFF_ERROR'
  | 'STORAGE_ERROR'
  | 'CONFIGURATION_ERROR'
  | 'INTEGRITY_ERROR'
  | 'CONFLICT'
  | 'CAPTURE_ERROR';

// Every eventlog error carries this registered symbol, so an error thrown by another copy of core
// in the same process (the CJS build next to the ESM one, or two installed versions) is still
// recognised by `instanceof` and by `isEventLogError`.
const BRAND = Symbol.for('@eventlog/core/error');

/**
 * Base class of every error eventlog throws on purpose.
 *
 * `instanceof` works across copies of core loaded in one process: `err instanceof ValidationError`
 * holds for a `ValidationError` thrown by the CJS build when the check runs in the ESM build, and
 * the reverse. It compares the error's `code`, so a subclass of your own is matched only by its
 * real prototype chain.
 */
export class EventLogError extends Error {
  readonly code: EventLogErrorCode;

  /** The code this class stands for; `undefined` on the base class, which matches every code. */
  static readonly errorCode: EventLogErrorCode | undefined = undefined;

  constructor(code: EventLogErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of `instanceof`, often a subclass
    return isInstance(this, value);
  }
}

function isInstance(cls: typeof EventLogError, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  if (!isEventLogError(value)) return false;
  if (cls === EventLogError) return true;
  // Only the classes core declares stand for a code; a subclass without its own `errorCode`
  // (yours, or an internal one) is matched by its prototype chain alone.
  return Object.hasOwn(cls, 'errorCode') && cls.errorCode === value.code;
}
Object.defineProperty(EventLogError.prototype, BRAND, { value: true });

/**
 * Whether `value` is an error eventlog threw on purpose, from this copy of core or any other one
 * loaded in the process. Narrowed, its `code` tells which kind it is:
 *
 * ```ts
 * if (isEventLogError(err) && err.code === 'VALIDATION_ERROR') res.status(400);
 * ```
 */
export function isEventLogError(value: unknown): value is EventLogError {
  return (
    typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true
  );
}

/** One problem with one input field. `path` is the field's location, e.g. `['values', 'user__name']`. */
export interface ValidationIssue {
  path: (string | number)[];
  message: string;
}

/** Input that eventlog refuses: a bad field in `log()`, a bad query, a forged cursor. */
export class ValidationError extends EventLogError {
  static override readonly errorCode: EventLogErrorCode = 'VALIDATION_ERROR';

  readonly issues: ValidationIssue[];

  constructor(message: string, issues: ValidationIssue[] = [], options?: { cause?: unknown }) {
    super('VALIDATION_ERROR', message, options);
    this.issues = issues;
  }

  /** Shorthand for an error about a single field. */
  static field(path: string | (string | number)[], message: string): ValidationError {
    const p = Array.isArray(path) ? path : [path];
    return new ValidationError(`${p.join('.')}: ${message}`, [{ path: p, message }]);
  }
}

/**
 * An `eventId` that is already stored (or given twice in one `logMany`) with other content: not a
 * retry, so nothing is written. `fields` names what differs (`template`, `metadata.channel`...).
 */
export class ConflictError extends EventLogError {
  /** The reused idempotency key. */
  readonly eventId: string;
  /** The fields whose content differs from the stored entry's (or the earlier input's). */
  readonly fields: string[];

  constructor(eventId: string, fields: string[]) {
    super(
      'CONFLICT',
      `eventId "${eventId}" is already used by an entry with other content (${fields.join(', ')}); a retry must repeat the call`,
    );
    this.eventId = eventId;
    this.fields = fields;
  }
}

/** A template that cannot be rendered, e.g. a placeholder missing from `values`. */
export class TemplateError extends EventLogError {
  static override readonly errorCode: EventLogErrorCode = 'TEMPLATE_ERROR';

  /** The placeholder at fault, without braces, when there is one. */
  readonly placeholder: string | undefined;

  constructor(message: string, placeholder?: string, options?: { cause?: unknown }) {
    super('TEMPLATE_ERROR', message, options);
    this.placeholder = placeholder;
  }
}

/** Data that cannot be diffed: a cycle, or nesting deeper than the configured limit. */
export class DiffError extends EventLogError {
  static override readonly errorCode: EventLogErrorCode = 'DIFF_ERROR';

  constructor(message: string, options?: { cause?: unknown }) {
    super('DIFF_ERROR', message, options);
  }
}

/** A storage backend failed. `adapter` names it; `cause` holds the driver's error. */
export class StorageError extends EventLogError {
  static override readonly errorCode: EventLogErrorCode = 'STORAGE_ERROR';

  readonly adapter: string;
  readonly operation: string;

  constructor(adapter: string, operation: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('STORAGE_ERROR', `${adapter} storage failed during ${operation}: ${detail}`, { cause });
    this.adapter = adapter;
    this.operation = operation;
  }
}

/** eventlog was set up wrongly, e.g. a router mounted without `authorize`. */
export class ConfigurationError extends EventLogError {
  static override readonly errorCode: EventLogErrorCode = 'CONFIGURATION_ERROR';

  constructor(message: string) {
    super('CONFIGURATION_ERROR', message);
  }
}
