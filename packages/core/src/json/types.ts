import type { Redaction } from './redact';

// The shapes every part of the JSON encoding shares, kept apart from the code so the walk,
// the budget and the entry points import them without importing one another.

/** A JSON primitive. */
export type JsonPrimitive = string | number | boolean | null;
/** Any JSON value: what `toJsonValue` returns and what storage keeps. */
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };

/** Internal encoder state, shared by the diff so one traversal rule serves both. */
export interface EncodeContext {
  maxDepth: number;
  redaction: Redaction | null;
  exclude: ReadonlySet<string> | null;
  /** Objects on the current path, to name a cycle; null to rely on the depth limit alone. */
  ancestors: Set<object> | null;
  fail(message: string, cause?: unknown): Error;
  /** The error for nesting deeper than `maxDepth`. */
  tooDeep(): Error;
  /** Size accounting and NUL refusal of a payload `log()` stores; null for the diff and renders. */
  payload: PayloadBudget | null;
  /**
   * When not null, each container an error passes through pushes the key it was encoding, so
   * the failure's path (innermost key first) costs nothing unless something fails.
   */
  errorPath: (string | number)[] | null;
  /**
   * Which objects may have their `toJSON()` called; absent = every object that has one. The
   * template renderer allows only the ORMs' own (it calls no function of the caller's data).
   */
  callsToJSON?: (v: object) => boolean;
}

/** The running size of one stored payload: an estimate of its JSON text in bytes. */
export interface PayloadBudget {
  bytes: number;
  readonly maxBytes: number;
  /** The error for crossing `maxBytes`. */
  tooBig(): Error;
}
