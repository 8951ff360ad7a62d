import type { EncodeContext, JsonValue, PayloadBudget } from './types';

/**
 * Why U+0000 is refused in stored payloads: PostgreSQL `text` and `jsonb` cannot hold it, and
 * an entry must store the same on every adapter, so it is a `ValidationError` before storage
 * instead of a driver error on one database and silent success on another.
 */
export const NUL_MESSAGE = 'contains U+0000 (NUL), which eventlog does not store';

/**
 * Why a lone UTF-16 surrogate (`"\ud800"`, legal in JS strings and JSON) is refused: it has no
 * UTF-8 form, so every driver would store U+FFFD or fail instead, and the entry would not be what
 * was logged.
 */
export const SURROGATE_MESSAGE =
  'contains a lone UTF-16 surrogate, which has no UTF-8 form and cannot be stored exactly';

// Node 20 has String.prototype.isWellFormed (ES2024); the ES2023 lib does not declare it.
const isWellFormed = (String.prototype as unknown as { isWellFormed(this: string): boolean })
  .isWellFormed;

/**
 * Why `text` cannot be stored as it is (`NUL_MESSAGE`, `SURROGATE_MESSAGE`), or null. Both tests
 * are native scans, and `isWellFormed` answers a one-byte (Latin-1) string without scanning.
 */
export function unstorable(text: string): string | null {
  if (text.includes('\0')) return NUL_MESSAGE;
  return isWellFormed.call(text) ? null : SURROGATE_MESSAGE;
}

/**
 * Charges one encoded member to the payload budget and refuses NUL and lone surrogates in its
 * key and text.
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
    const bad = unstorable(key);
    if (bad !== null) throw ctx.fail(bad);
    n += key.length + 3;
  }
  if (typeof e === 'string') {
    const bad = unstorable(e);
    if (bad !== null) throw ctx.fail(bad);
    n += e.length + 2;
  } else if (typeof e === 'number') n += 8;
  else if (typeof e === 'boolean') n += 5;
  else n += e === null ? 4 : 1;
  p.bytes += n;
  if (p.bytes > p.maxBytes) throw p.tooBig();
}
