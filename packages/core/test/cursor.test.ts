import { ValidationError } from '@eventlog/core';
import { cursorInstant, decodeCursor, encodeCursor } from '@eventlog/core/storage';
import { describe, expect, it } from 'vitest';

/** A cursor envelope written by hand, the way a client could forge one. */
const forge = (parts: unknown): string => Buffer.from(JSON.stringify(parts)).toString('base64url');

/** The ValidationError a call throws, to check its field and message. */
function refusal(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

const NOT_OURS = 'cursor: is not a cursor returned by this API';

describe('encodeCursor / decodeCursor', () => {
  it('round-trips the key in both orders, in a fixed envelope', () => {
    const key = ['2024-01-31T12:00:00.123456Z', 'id-1'];
    expect(decodeCursor(encodeCursor('asc', key), 'asc', 2)).toEqual(key);
    expect(decodeCursor(encodeCursor('desc', key), 'desc', 2)).toEqual(key);
    // The wire format adapters share: base64url of a JSON array, the order as `a` or `d` first.
    expect(encodeCursor('asc', ['x'])).toBe(forge(['a', 'x']));
    expect(encodeCursor('desc', ['x'])).toBe(forge(['d', 'x']));
  });

  it('refuses a cursor of the other order, naming the order asked for', () => {
    const asc = encodeCursor('asc', ['k']);
    const e = refusal(() => decodeCursor(asc, 'desc', 1));
    expect(e.message).toBe('cursor: was issued for the other order, not order=desc');
    expect(e.issues).toEqual([
      { path: ['cursor'], message: 'was issued for the other order, not order=desc' },
    ]);
    expect(refusal(() => decodeCursor(encodeCursor('desc', ['k']), 'asc', 1)).message).toBe(
      'cursor: was issued for the other order, not order=asc',
    );
    expect(refusal(() => decodeCursor(forge(['x', 'k']), 'asc', 1)).message).toMatch(/other order/);
  });

  it.each([
    ['not base64url JSON', 'not-a-cursor'],
    ['an empty string', ''],
    ['a JSON object', forge({ 0: 'a', 1: 'k', length: 2 })],
    ['a JSON string', forge('ak')],
    ['one key part too few', forge(['a'])],
    ['one key part too many', forge(['a', 'k', 'extra'])],
    ['a number as key part', forge(['a', 7])],
    ['null as key part', forge(['a', null])],
    ['a key part of 201 characters', forge(['a', 'x'.repeat(201)])],
  ])('refuses %s with a ValidationError on cursor', (_name, cursor) => {
    const e = refusal(() => decodeCursor(cursor, 'asc', 1));
    expect(e.message).toBe(NOT_OURS);
    expect(e.issues).toEqual([
      { path: ['cursor'], message: 'is not a cursor returned by this API' },
    ]);
  });

  it('accepts key parts up to 200 characters', () => {
    const long = 'x'.repeat(200);
    expect(decodeCursor(forge(['a', long]), 'asc', 1)).toEqual([long]);
    expect(decodeCursor(forge(['d']), 'desc', 0)).toEqual([]);
  });
});

describe('cursorInstant', () => {
  it.each([
    ['2024-01-31T12:00:00.123Z', '2024-01-31T12:00:00.123Z'],
    ['2024-01-31T12:00:00.123456Z', '2024-01-31T12:00:00.123Z'],
    ['2024-01-31T12:00:00.123456789Z', '2024-01-31T12:00:00.123Z'],
    ['2024-02-29T23:59:59.999Z', '2024-02-29T23:59:59.999Z'],
    ['0001-01-01T00:00:00.000Z', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999999Z', '9999-12-31T23:59:59.999Z'],
  ])('reads %s as the instant %s (fraction beyond milliseconds dropped)', (text, iso) => {
    expect(cursorInstant(text).toISOString()).toBe(iso);
  });

  it.each([
    ['ten fraction digits', '2024-01-31T12:00:00.1234567890Z'],
    ['no fraction', '2024-01-31T12:00:00Z'],
    ['two fraction digits', '2024-01-31T12:00:00.12Z'],
    ['no Z', '2024-01-31T12:00:00.123'],
    ['an offset instead of Z', '2024-01-31T12:00:00.123+00:00'],
    ['text before', 'x2024-01-31T12:00:00.123Z'],
    ['text after', '2024-01-31T12:00:00.123Zx'],
    ['February 30', '2024-02-30T12:00:00.000Z'],
    ['February 29 of a common year', '2023-02-29T12:00:00.000Z'],
    ['hour 24', '2024-01-31T24:00:00.000Z'],
    ['a leap second', '2016-12-31T23:59:60.000Z'],
    ['month 13', '2024-13-01T00:00:00.000Z'],
    ['year 0', '0000-06-01T00:00:00.000Z'],
    ['an empty string', ''],
  ])('refuses %s with a ValidationError on cursor', (_name, text) => {
    expect(refusal(() => cursorInstant(text)).message).toBe(NOT_OURS);
  });
});
