import { CONNECTION_OPTIONS, CONNECTION_USAGE, type Command, list, str, write } from '../command';
import { parseDate } from '../parse-values';
import { EXIT, UsageError } from '../usage-error';
import { withConnection } from './with-connection';

/** `eventlog purge`: retention. */
export const purgeCommand: Command = {
  name: 'purge',
  summary: 'delete entries older than a date (keeping chains verifiable)',
  usage: `Usage: eventlog purge --before <date> [--tool <tool>]... [--dry-run]

Deletes entries older than --before (exclusive). With a hash chain, each chain loses only a
prefix of entries that all match, and the cut is recorded as the chain's new start, so it still
verifies; a tampered prefix is refused (exit 3) and kept as evidence.

  --before <date>     ISO date or date-time (2024-01-31, 2024-01-31T12:00:00Z), or an age (90d, 12h)
  --tool <tool>       only entries of this tool (repeatable)
  --dry-run           count the entries older than the cutoff, delete nothing (with a chain, an
                      upper bound: the prefix rule may keep some)

${CONNECTION_USAGE}`,
  options: {
    ...CONNECTION_OPTIONS,
    before: { type: 'string' },
    tool: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
  },
  async run(values, io) {
    const beforeText = str(values.before);
    if (beforeText === undefined) throw new UsageError('--before is required');
    const before = parseDate('before', beforeText);
    const tools = list(values.tool);
    return withConnection(values, async ({ service }) => {
      if (values['dry-run']) {
        const page = await service.list({
          to: before,
          ...(tools && { tool: tools }),
          limit: 1,
          withCount: 'exact',
        });
        await write(
          io.stdout,
          `${page.count ?? 0} entries older than ${before.toISOString()} (dry run: nothing deleted)\n`,
        );
        return EXIT.ok;
      }
      const deleted = await service.purge({ before, ...(tools && { tool: tools }) });
      await write(io.stdout, `${deleted} entries deleted (older than ${before.toISOString()})\n`);
      return EXIT.ok;
    });
  },
};
