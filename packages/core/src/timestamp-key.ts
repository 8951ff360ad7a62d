import { ValidationError } from './errors';

/** A full-precision timestamp key: `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export const TIMESTAMP_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/**
 * ISO-8601 with microseconds and a fixed width, so text order is time order: how a timestamp is
 * stored as text, and the key `readChain` reports. A JS Date has milliseconds only; the three
 * extra digits keep rows written by other tools at full precision.
 *
 * @throws ValidationError on `field` for an invalid date or one outside years 0000-9999.
 */
export function toTimestampKey(date: Date, field: string): string {
  const time = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw ValidationError.field(field, 'is not a valid date');
  const iso = date.toISOString();
  if (iso.length !== 24) throw ValidationError.field(field, 'must be within years 0000-9999');
  return `${iso.slice(0, 23)}000Z`;
}
