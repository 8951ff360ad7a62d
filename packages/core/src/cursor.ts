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
