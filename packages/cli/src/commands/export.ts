import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { type EventLogQuery, MAX_PAGE_SIZE } from '@eventlog/core';
import {
  type CliIO,
  CONNECTION_OPTIONS,
  CONNECTION_USAGE,
  type Command,
  list,
  type OptionValues,
  str,
  write,
} from '../command';
import { CSV_HEADER, csvRecord } from '../csv';
import { parseDate } from '../parse-values';
import { EXIT, UsageError } from '../usage-error';
import { withConnection } from './with-connection';

/** The list route's filters, from the command line. */
function filters(values: OptionValues): EventLogQuery {
  const tool = list(values.tool);
  const action = list(values.action);
  const from = str(values.from);
  const to = str(values.to);
  const order = str(values.order) ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw new UsageError('--order must be asc or desc');
  return {
    ...(tool && { tool }),
    ...(action && { action }),
    ...(str(values.actor) !== undefined && { actorId: str(values.actor) }),
    ...(str(values['object-type']) !== undefined && { objectType: str(values['object-type']) }),
    ...(str(values['object-id']) !== undefined && { objectId: str(values['object-id']) }),
    ...(from !== undefined && { from: parseDate('from', from) }),
    ...(to !== undefined && { to: parseDate('to', to) }),
    ...(str(values.search) !== undefined && { search: str(values.search) }),
    order,
  };
}

/** `eventlog export`: streams every matching entry as NDJSON or CSV. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'stream entries as NDJSON or CSV (same filters as the list route)',
  usage: `Usage: eventlog export --format ndjson|csv [filters] [--out <file>]

Streams every matching entry, oldest first, in keyset pages of ${MAX_PAGE_SIZE}: memory stays
constant however many rows. Progress goes to stderr when it is a terminal.

  --format ndjson|csv     NDJSON: one JSON entry per line. CSV: RFC 4180, a header line, every
                          field (null = empty cell, JSON fields as JSON text). A cell starting
                          with = + - @ tab CR or ' gets a leading ' so spreadsheets do not run it
                          as a formula; remove one leading ' to get the exact text back.
  --tool, --action <v>    repeatable
  --actor <id>  --object-type <type>  --object-id <id>  --search <text>
  --from <date>           inclusive;  --to <date>  exclusive (ISO date/date-time or 90d, 12h)
  --order asc|desc        default asc
  --out <file>            write there instead of stdout

${CONNECTION_USAGE}`,
  options: {
    ...CONNECTION_OPTIONS,
    format: { type: 'string' },
    tool: { type: 'string', multiple: true },
    action: { type: 'string', multiple: true },
    actor: { type: 'string' },
    'object-type': { type: 'string' },
    'object-id': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    search: { type: 'string' },
    order: { type: 'string' },
    out: { type: 'string' },
  },
  async run(values, io) {
    const format = str(values.format);
    if (format !== 'ndjson' && format !== 'csv')
      throw new UsageError('--format must be ndjson or csv');
    const query = filters(values);
    const outPath = str(values.out);
    return withConnection(values, async ({ service }) => {
      const out: Writable = outPath === undefined ? io.stdout : createWriteStream(outPath);
      const count = await stream(service.list.bind(service), query, format, out, io);
      if (outPath !== undefined) {
        out.end();
        await finished(out);
      }
      if (io.stderrIsTTY) io.stderr.write(`\rexported ${count} entries\n`);
      return EXIT.ok;
    });
  },
};

async function stream(
  listPage: (q: EventLogQuery) => ReturnType<import('@eventlog/core').EventLogService['list']>,
  query: EventLogQuery,
  format: 'ndjson' | 'csv',
  out: Writable,
  io: CliIO,
): Promise<number> {
  if (format === 'csv') await write(out, CSV_HEADER);
  let cursor: string | null = null;
  let count = 0;
  do {
    const page = await listPage({ ...query, limit: MAX_PAGE_SIZE, cursor });
    let chunk = '';
    for (const entry of page.results) {
      chunk += format === 'csv' ? csvRecord(entry) : `${JSON.stringify(entry)}\n`;
    }
    await write(out, chunk);
    count += page.results.length;
    if (io.stderrIsTTY) io.stderr.write(`\rexported ${count} entries`);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return count;
}
