/**
 * The instants eventlog stores: years 1000 to 9999 in UTC, to the millisecond, on every adapter.
 * It is the range every backend holds exactly (MySQL/MariaDB `DATETIME(6)` stops at years 1000
 * and 9999; PostgreSQL has no year 0000; SQLite keys are four-digit years), so an entry reads back
 * with the timestamp it was logged with whatever the storage. `log()` refuses a timestamp outside
 * it, and `list()` a `from` or `to` bound outside it, with a `ValidationError` naming the field.
 */
export const TIMESTAMP_RANGE: Readonly<{ min: string; max: string }> = Object.freeze({
  min: '1000-01-01T00:00:00.000Z',
  max: '9999-12-31T23:59:59.999Z',
});

const MIN = Date.parse(TIMESTAMP_RANGE.min);
const MAX = Date.parse(TIMESTAMP_RANGE.max);

/** Why a date is refused, for the `ValidationError`. */
export const TIMESTAMP_RANGE_MESSAGE = `must be a valid date from ${TIMESTAMP_RANGE.min} to ${TIMESTAMP_RANGE.max}`;

/** True for a valid Date within `TIMESTAMP_RANGE`. */
export function inTimestampRange(date: Date): boolean {
  const t = date.getTime();
  return t >= MIN && t <= MAX;
}
