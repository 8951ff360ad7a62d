import type { EncodeContext, JsonValue } from './json';

/** The running size of one stored payload: an estimate of its JSON text in bytes. */
export interface PayloadBudget {
  bytes: number;
  readonly maxBytes: number;
  /** The error for crossing `maxBytes`. */
  tooBig(): Error;
}

/**
 * Why U+0000 is refused in stored payloads: PostgreSQL `text` and `jsonb` cannot hold it, and
 * an entry must store the same on every adapter, so it is a `ValidationError` before storage
 * instead of a driver error on one database and silent success on another.
 */
export const NUL_MESSAGE = 'contains U+0000 (NUL), which eventlog does not store';

/**
 * Charges one encoded member to the payload budget and refuses NUL in its key and text.
 * Strings count one byte per UTF-16 unit here (a lower bound of UTF-8); `encodePayload` measures
 * exactly when non-ASCII text could decide the limit. A container is charged its brackets here,
 * its members as they are encoded.
 */
export function charge(
  p: PayloadBudget,
  key: string | null,
  e: JsonValue,
  ctx: EncodeContext,
): void {
  let n = 1;
  if (key !== null) {
    if (key.includes('\0')) throw ctx.fail(NUL_MESSAGE);
    n += key.length + 3;
  }
  if (typeof e === 'string') {
    if (e.includes('\0')) throw ctx.fail(NUL_MESSAGE);
    n += e.length + 2;
  } else if (typeof e === 'number') n += 8;
  else if (typeof e === 'boolean') n += 5;
  else n += e === null ? 4 : 1;
  p.bytes += n;
  if (p.bytes > p.maxBytes) throw p.tooBig();
}
