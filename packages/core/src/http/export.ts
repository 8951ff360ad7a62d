import { ValidationError, type ValidationIssue } from '../errors';
import type { EventLog, EventLogPage, EventLogQuery } from '../schemas';
import { toEventLogJson } from './format';
import { HTTP_MAX_LIMIT, type ParsedListQuery, parseListQuery } from './query';
import type { EventLogReader } from './types';

/** What `GET /export` writes: one JSON object per line, or RFC 4180 CSV with a header row. */
export type ExportFormat = 'ndjson' | 'csv';

/** The CSV columns, in order: the fields of the default JSON format. */
export const EXPORT_CSV_COLUMNS = [
  'id',
  'timestamp',
  'actorId',
  'actorLabel',
  'action',
  'tool',
  'objectType',
  'objectId',
  'message',
  'template',
  'values',
  'changes',
  'metadata',
  'eventId',
] as const;

// Export walks every matching entry itself, so the paging parameters have no meaning here.
export const EXPORT_PAGING_PARAMS: ReadonlySet<string> = new Set([
  'limit',
  'cursor',
  'page',
  'page_size',
  'with_count',
]);

/** A parsed export request: the format and the list filters (with `order`). */
export interface ParsedExportQuery {
  format: ExportFormat;
  list: ParsedListQuery;
}

/**
 * Parses the export query string: `format` (`ndjson` or `csv`, required) and the list route's
 * filters and `order`. Throws a `ValidationError` naming the parameter for anything else.
 */
export function parseExportQuery(raw: string): ParsedExportQuery {
  const issues: ValidationIssue[] = [];
  const rest = new URLSearchParams();
  const formats: string[] = [];
  for (const [key, value] of new URLSearchParams(raw)) {
    if (key === 'format') formats.push(value);
    else if (EXPORT_PAGING_PARAMS.has(key)) {
      issues.push({ path: [key], message: 'is not accepted: export streams every match' });
    } else rest.append(key, value);
  }
  const format = formats[0];
  if (formats.length > 1) issues.push({ path: ['format'], message: 'must be given once' });
  else if (format !== 'ndjson' && format !== 'csv') {
    issues.push({ path: ['format'], message: 'must be ndjson or csv' });
  }
  if (issues.length > 0) {
    throw new ValidationError(`${issues[0]?.path[0]}: ${issues[0]?.message}`, issues);
  }
  return { format: format as ExportFormat, list: parseListQuery(rest.toString()) };
}

/**
 * A CSV cell: quoted when it holds a quote, comma or line break (RFC 4180), and prefixed with
 * `'` when it starts with `=`, `+`, `-`, `@`, a tab or a carriage return, so a spreadsheet
 * shows it as text instead of running it as a formula (OWASP "CSV injection").
 */
export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ''
      : typeof value === 'string'
        ? value
        : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV row (CRLF-terminated) of `entry`. */
function csvRow(entry: EventLog): string {
  const json = toEventLogJson(entry) as Record<string, unknown>;
  return `${EXPORT_CSV_COLUMNS.map((c) => csvCell(json[c])).join(',')}\r\n`;
}

const ndjsonLine = (entry: EventLog): string => `${JSON.stringify(toEventLogJson(entry))}\n`;

/**
 * Pages through every entry matching `query` with the keyset cursor and yields it rendered, page
 * by page, so memory stays at one page whatever the size of the log. The first page is read
 * before this returns: a bad query fails as a `ValidationError` before anything is written. A
 * later page that fails goes to `onError` and ends the stream with that error.
 */
export async function exportChunks(
  service: EventLogReader,
  query: EventLogQuery | null,
  format: ExportFormat,
  onError: (error: unknown) => void,
): Promise<AsyncIterable<string>> {
  const render = format === 'csv' ? csvRow : ndjsonLine;
  const base: EventLogQuery | null = query && {
    ...query,
    limit: HTTP_MAX_LIMIT,
    offset: 0,
    withCount: false,
  };
  let page: EventLogPage =
    base === null ? { results: [], nextCursor: null } : await service.list(base);
  return (async function* () {
    if (format === 'csv') yield `${EXPORT_CSV_COLUMNS.join(',')}\r\n`;
    for (;;) {
      if (page.results.length > 0) yield page.results.map(render).join('');
      if (base === null || page.nextCursor === null) return;
      try {
        page = await service.list({ ...base, cursor: page.nextCursor });
      } catch (error) {
        onError(error);
        throw error;
      }
    }
  })();
}
