/**
 * Runs `eventlog export` in its own process (so its memory is measured alone) and prints the
 * exit code and peak RSS as JSON on stderr.
 */
import { main } from '@eventlog/cli';

const code = await main(process.argv.slice(2));
process.stderr.write(`${JSON.stringify({ code, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
process.exitCode = code;
