import type { EventLog } from '@eventlog/core';

/** The CSV columns, in order: every `EventLog` field. */
export const CSV_COLUMNS = [
  'id',
  'timestamp',
  'actorId',
  'actorLabel',
  'message',
  'template',
  'values',
  'tool',
  'action',
  'objectType',
  'objectId',
  'changes',
  'metadata',
  'eventId',
  'batchId',
  'chain',
  'seq',
  'prevHash',
  'hash',
] as const satisfies readonly (keyof EventLog)[];

/**
 * Spreadsheets run a cell starting with `=`, `+`, `-` or `@` (or tab / carriage return) as a
 * formula (CSV injection). Such cells are written with a leading `'`, and so is a cell that
 * already starts with `'`, so a reader gets the exact text back by removing one leading `'`.
 */
const GUARDED = /^[=+\-@\t\r']/;

/** One cell: RFC 4180 quoting (quotes doubled; quoted when it holds `,` `"` CR or LF). */
export function csvCell(text: string): string {
  const guarded = GUARDED.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** The header line, CRLF-terminated as RFC 4180 says. */
export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

/**
 * One entry as a CSV record: null is an empty cell, the timestamp ISO 8601, JSON fields
 * (`values`, `changes`, `metadata`) as JSON text.
 */
export function csvRecord(entry: EventLog): string {
  const cells = CSV_COLUMNS.map((column) => {
    const value = entry[column];
    if (value === null) return '';
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'object') return csvCell(JSON.stringify(value));
    return csvCell(String(value));
  });
  return `${cells.join(',')}\r\n`;
}
