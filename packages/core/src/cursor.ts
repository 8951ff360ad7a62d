import { ValidationError } from './errors';

/**
 * Opaque keyset cursors. Adapters choose what goes in (usually the stored timestamp at full
 * precision and the id, as strings); core owns the envelope, so a forged or truncated cursor is
 * always a `ValidationError` on `cursor`, whatever the adapter.
 */
export function encodeCursor(order: 'asc' | 'desc', key: readonly string[]): string {
  return Buffer.from(JSON.stringify([order === 'asc' ? 'a' : 'd', ...key])).toString('base64url');
}

/** Decodes a cursor made by `encodeCursor` with `arity` key parts, for the given order. */
export function decodeCursor(cursor: string, order: 'asc' | 'desc', arity: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw ValidationError.field('cursor', 'is not a cursor returned by this API');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== arity + 1 ||
    !parsed.every((p) => typeof p === 'string' && p.length <= 200)
  ) {
    throw ValidationError.field('cursor', 'is not a cursor returned by this API');
  }
  const [dir, ...key] = parsed as string[];
  if (dir !== (order === 'asc' ? 'a' : 'd')) {
    throw ValidationError.field('cursor', `was issued for the other order, not order=${order}`);
  }
  return key;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\d{0,6}Z$/;

/**
 * The instant an ISO-8601 UTC timestamp read from a cursor names (`YYYY-MM-DDTHH:MM:SS.sss`,
 * up to six more fraction digits, `Z`), when it is one every database can compare: a date and
 * time that exist (no February 30, no hour 24, no leap second: it round-trips through `Date`)
 * in years 0001-9999. Anything else is a `ValidationError` on `cursor`, so a forged cursor never
 * reaches the database as an impossible date.
 */
export function cursorInstant(text: string): Date {
  const millis = `${text.slice(0, 23)}Z`;
  const date = ISO_UTC.test(text) ? new Date(millis) : null;
  if (
    date === null ||
    Number.isNaN(date.getTime()) ||
    date.toISOString() !== millis ||
    date.getUTCFullYear() < 1
  ) {
    throw ValidationError.field('cursor', 'is not a cursor returned by this API');
  }
  return date;
}
