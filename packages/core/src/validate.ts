import type { z } from 'zod';
import { ValidationError, type ValidationIssue } from './errors';

/**
 * Parses `input` with `schema`, or throws a `ValidationError` whose issues carry the zod paths
 * (`['tool']`, `['values', 'x']`), prefixed with `prefix` (e.g. the index in `logMany`).
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  prefix: (string | number)[] = [],
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.map((issue) => ({
    path: [
      ...prefix,
      ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : (p as string | number))),
    ],
    message: issue.message,
  }));
  const summary = issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new ValidationError(`Invalid ${what}: ${summary}`, issues);
}
