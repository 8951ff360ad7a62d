/**
 * What a storage throws when a unique index refuses a row (a repeated `eventId`): the port passes
 * on the driver's error, and every driver names it: SQLite "UNIQUE constraint failed", PostgreSQL
 * "duplicate key value violates unique constraint", MySQL/MariaDB "Duplicate entry", MongoDB
 * "E11000 duplicate key error", the memory storage "duplicate eventId". Tests assert it rather
 * than any rejection, so a `TypeError` from a bug does not pass for a refused duplicate.
 */
export const UNIQUE_VIOLATION = /duplicate|unique/i;
