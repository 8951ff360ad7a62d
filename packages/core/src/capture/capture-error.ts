import { EventLogError, type EventLogErrorCode } from '../errors';

/** Why a captured write or a revert was refused. */
export type CaptureErrorReason =
  /** The ORM refuses a captured write outside a transaction (the knex capture wraps instead). */
  | 'no-transaction'
  /** The capture options are wrong (no `objectType`, an unknown template prefix...). */
  | 'options'
  /** A row has no value under `idKey`, so its entry could not name the object. */
  | 'no-id'
  /** `revert()` was given an entry that is not a captured write of this object type. */
  | 'not-revertible'
  /** `revert()` was given an id no entry has. */
  | 'not-found'
  /** The object changed since the reverted entry (see `RevertConflictError`). */
  | 'conflict';

/**
 * A captured write or a revert refused before anything was written: `reason` says why. Nothing
 * of the business write is stored when it is thrown.
 */
export class CaptureError extends EventLogError {
  static override readonly errorCode: EventLogErrorCode = 'CAPTURE_ERROR';

  readonly reason: CaptureErrorReason;

  constructor(reason: CaptureErrorReason, message: string, options?: { cause?: unknown }) {
    super('CAPTURE_ERROR', message, options);
    this.reason = reason;
  }
}

/**
 * A revert whose target changed since the reverted entry (or that cannot be applied as it
 * stands: a row to re-insert that exists, a row to restore that is gone, a masked secret to
 * restore). Pass `{ force: true }` to revert anyway where that is possible.
 */
export class RevertConflictError extends CaptureError {
  /** The id of the entry that was to be reverted. */
  readonly entryId: string;
  /** The fields (top-level keys) that differ from what the entry left, or `['*']` for the row. */
  readonly fields: string[];

  constructor(entryId: string, fields: string[], detail: string) {
    super('conflict', `cannot revert entry ${entryId}: ${detail}`);
    this.entryId = entryId;
    this.fields = fields;
  }
}
