import { ValidationError } from '../errors';
import { charge } from './budget';
import { refreshGuard } from './guard';
import type { Redaction } from './redact';
import type { EncodeContext, JsonValue, PayloadBudget } from './types';
import { encodeValue } from './walk';

/** Size and depth limits of one JSON payload (`changes`, `values` or `metadata`). */
export interface JsonLimits {
  /** Approximate size of the JSON text, in UTF-8 bytes. */
  maxPayloadBytes: number;
  /** Nesting depth; the payload itself is depth 1. */
  maxDepth: number;
}

/** Recursion is bounded by `maxDepth`, so no configuration may make it overflow the stack. */
export const MAX_DEPTH_CEILING = 1000;

/** Worst-case growth of a string from UTF-16 units to JSON text in UTF-8 (`\u0001` is 6 bytes). */
const MAX_EXPANSION = 6;

/** What the payload walk throws; `encode` turns it into the caller's `ValidationError`. */
class PayloadFailure extends Error {
  constructor(
    message: string,
    readonly kind: 'size' | 'depth' | 'other',
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}

/**
 * Encodes the payloads `log()` stores with the one JSON encoding of `toJsonValue` (see its
 * table), in one walk that also masks secret keys, counts the size, refuses U+0000 and bounds
 * the depth. Built once per service: nothing is compiled or allocated per call beyond the walk.
 */
export class PayloadEncoder {
  readonly #maxDepth: number;
  readonly #maxBytes: number;
  readonly #redaction: Redaction | null;
  readonly #tooBig: () => Error;
  readonly #tooDeep: () => Error;
  #spare: EncodeContext | null = null;
  readonly #fail = (message: string, cause?: unknown): Error =>
    new PayloadFailure(message, 'other', cause);

  constructor(limits: JsonLimits, redaction: Redaction | null) {
    const depth = Math.min(limits.maxDepth, MAX_DEPTH_CEILING);
    // The walk counts the payload itself as depth 0; the limit counts it as 1.
    this.#maxDepth = depth - 1;
    this.#maxBytes = limits.maxPayloadBytes;
    this.#redaction = redaction;
    const size = `is larger than ${limits.maxPayloadBytes} bytes`;
    this.#tooBig = () => new PayloadFailure(size, 'size');
    this.#tooDeep = () => new PayloadFailure(`nests deeper than ${depth} levels`, 'depth');
  }

  /** A fresh size budget; share one between calls to give them a common limit. */
  budget(): PayloadBudget {
    return { bytes: 0, maxBytes: this.#maxBytes, tooBig: this.#tooBig };
  }

  /**
   * Encodes `value` as JSON data, secrets masked. A payload over the size limit, a cycle,
   * nesting past the depth limit, U+0000 in a key or a string, or a getter/`toJSON` that throws
   * is a `ValidationError` on `field` (with the path inside the payload, except for size); the
   * walk stops at the first one, so hostile input cannot make it hang.
   */
  encode(value: unknown, field: string, budget: PayloadBudget = this.budget()): JsonValue {
    // One context is reused call after call; a re-entrant call (a getter that logs) gets its own.
    const ctx = this.#spare ?? this.#context(budget, null);
    this.#spare = null;
    ctx.payload = budget;
    refreshGuard();
    try {
      const e = encodeValue(value, 0, ctx);
      // A root primitive is charged here: the walk charges members as their parent adds them.
      if (typeof e !== 'object' || e === null) charge(budget, null, e, ctx);
      return e;
    } catch (error) {
      throw this.#explain(error, value, field, ctx, budget);
    } finally {
      (ctx.errorPath as unknown[]).length = 0;
      ctx.payload = null;
      this.#spare = ctx;
    }
  }

  /**
   * Checks `budget` exactly once a payload is complete: while walking, text counts one byte
   * per UTF-16 unit, so only a payload whose estimate could be under-counted is measured.
   */
  finish(encoded: unknown, field: string, budget: PayloadBudget): void {
    if (budget.bytes * MAX_EXPANSION <= this.#maxBytes) return;
    if (Buffer.byteLength(JSON.stringify(encoded)) > this.#maxBytes) {
      throw toValidationError(this.#tooBig(), [field]);
    }
  }

  #context(budget: PayloadBudget, ancestors: Set<object> | null): EncodeContext {
    return {
      maxDepth: this.#maxDepth,
      redaction: this.#redaction,
      exclude: null,
      ancestors,
      fail: this.#fail,
      tooDeep: this.#tooDeep,
      payload: budget,
      errorPath: [],
    };
  }

  /** The `ValidationError` for what the walk threw, naming the cycle when depth hid one. */
  #explain(
    error: unknown,
    value: unknown,
    field: string,
    ctx: EncodeContext,
    budget: PayloadBudget,
  ): unknown {
    let failure = error;
    let path = ctx.errorPath ?? [];
    if (error instanceof PayloadFailure && error.kind === 'depth') {
      // The walk tracks no ancestors, so a cycle shows up as depth; walk again tracking them
      // (within a fresh budget, so a hostile graph still cannot make it run long).
      const tracking = this.#context({ ...budget, bytes: 0 }, new Set());
      try {
        encodeValue(value, 0, tracking);
      } catch (again) {
        if (again instanceof PayloadFailure && again.kind === 'other') {
          failure = again;
          path = tracking.errorPath ?? [];
        }
      }
    }
    const where: (string | number)[] = [field];
    if (!(failure instanceof PayloadFailure && failure.kind === 'size')) {
      for (let i = path.length - 1; i >= 0; i--) where.push(path[i] as string | number);
    }
    return toValidationError(failure, where);
  }
}

/** Maps a walk failure (ours, a stack overflow, or a getter's own error) to a ValidationError. */
function toValidationError(error: unknown, path: (string | number)[]): ValidationError {
  let message: string;
  let cause: unknown;
  if (error instanceof PayloadFailure) {
    message = error.message;
    cause = error.cause;
  } else if (error instanceof RangeError) {
    message = 'is nested too deeply for the stack';
    cause = error;
  } else {
    message = 'could not be read: a getter, proxy or toJSON threw';
    cause = error;
  }
  return new ValidationError(`${path.join('.')}: ${message}`, [{ path, message }], { cause });
}
