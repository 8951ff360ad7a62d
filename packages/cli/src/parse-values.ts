import { UsageError } from './usage-error';

/**
 * A date option: an ISO 8601 date or date-time (`2024-01-01`, `2024-01-01T12:00:00Z`), or an age
 * `<n>d` / `<n>h` (that long before now).
 */
export function parseDate(option: string, text: string, now = new Date()): Date {
  const age = /^(\d{1,6})([dh])$/.exec(text);
  if (age) {
    const hours = Number(age[1]) * (age[2] === 'd' ? 24 : 1);
    return new Date(now.getTime() - hours * 3_600_000);
  }
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new UsageError(
    `--${option} must be an ISO date (2024-01-31, 2024-01-31T12:00:00Z) or an age (90d, 12h), not "${text}"`,
  );
}

/** A positive integer option. */
export function parseSeq(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d{0,14}$/.test(text)) throw new UsageError(`--${option} must be a positive integer`);
  return Number(text);
}
