/**
 * Whether `error` is a unique index refusing a row (a repeated `eventId`). The port passes on the
 * driver's error, and every driver names it in the error's name or message: SQLite "UNIQUE
 * constraint failed", PostgreSQL "duplicate key value violates unique constraint", MySQL/MariaDB
 * "Duplicate entry", MongoDB "E11000 duplicate key error", Sequelize
 * `SequelizeUniqueConstraintError`, the memory storage "duplicate eventId". Tests assert it
 * (`rejects.toSatisfy(isUniqueViolation)`) rather than any rejection, so a `TypeError` from a bug
 * does not pass for a refused duplicate.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = error.cause instanceof Error ? ` ${error.cause.name} ${error.cause.message}` : '';
  return /duplicate|unique/i.test(`${error.name} ${error.message}${cause}`);
}
