/** Machine-readable error codes, stable across releases. */
export type EventLogErrorCode =
  | 'VALIDATION_ERROR'
  | 'TEMPLATE_ERROR'
  | 'DIFF_ERROR'
  | 'STORAGE_ERROR'
  | 'CONFIGURATION_ERROR'
  | 'INTEGRITY_ERROR'
  | 'CONFLICT';

/** Base class of every error eventlog throws on purpose. */
export class EventLogError extends Error {
  readonly code: EventLogErrorCode;

  constructor(code: EventLogErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One problem with one input field. `path` is the field's location, e.g. `['values', 'user__name']`. */
export interface ValidationIssue {
  path: (string | number)[];
  message: string;
}

/** Input that eventlog refuses: a bad field in `log()`, a bad query, a forged cursor. */
export class ValidationError extends EventLogError {
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
  /** The placeholder at fault, without braces, when there is one. */
  readonly placeholder: string | undefined;

  constructor(message: string, placeholder?: string, options?: { cause?: unknown }) {
    super('TEMPLATE_ERROR', message, options);
    this.placeholder = placeholder;
  }
}

/** Data that cannot be diffed: a cycle, or nesting deeper than the configured limit. */
export class DiffError extends EventLogError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DIFF_ERROR', message, options);
  }
}

/** A storage backend failed. `adapter` names it; `cause` holds the driver's error. */
export class StorageError extends EventLogError {
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
  constructor(message: string) {
    super('CONFIGURATION_ERROR', message);
  }
}
