import { parseArgs } from 'node:util';
import { EventLogError, IntegrityError, ValidationError } from '@eventlog/core';
import type { CliIO, Command } from './command';
import { checkpointCommand } from './commands/checkpoint';
import { exportCommand } from './commands/export';
import { migrateCommand } from './commands/migrate';
import { purgeCommand } from './commands/purge';
import { verifyCommand } from './commands/verify';
import { maskUrls } from './mask-url';
import { EXIT, UsageError } from './usage-error';

/** Every subcommand of `eventlog`. */
export const COMMANDS: readonly Command[] = [
  verifyCommand,
  checkpointCommand,
  purgeCommand,
  exportCommand,
  migrateCommand,
];

const HELP = `Usage: eventlog <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(12)}${c.summary}`).join('\n')}

Run \`eventlog <command> --help\` for a command's options.
Exit codes: 0 ok, 1 verification failed, 2 usage error, 3 runtime or database error.
`;

const processIO = (): CliIO => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stderrIsTTY: process.stderr.isTTY === true,
});

/**
 * Runs `eventlog` with `argv` (the arguments after the program name) and returns the exit code.
 * Never throws: errors are printed on stderr.
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`eventlog: unknown command "${maskUrls(name)}"\n\n${HELP}`);
    return EXIT.usage;
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.stdout.write(`${command.usage}\n`);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    return await command.run(values, io);
  } catch (error) {
    return report(error, command, io);
  }
}

/** Prints a failure; a URL in it (a driver may quote the connection string) loses its userinfo. */
function report(error: unknown, command: Command, io: CliIO): number {
  const message = maskUrls(error instanceof Error ? error.message : String(error));
  const usage =
    error instanceof UsageError ||
    error instanceof ValidationError ||
    (error as { code?: unknown })?.code?.toString().startsWith('ERR_PARSE_ARGS');
  if (usage) {
    io.stderr.write(
      `eventlog ${command.name}: ${message}\nRun \`eventlog ${command.name} --help\` for usage.\n`,
    );
    return EXIT.usage;
  }
  const kind =
    error instanceof IntegrityError
      ? 'integrity error'
      : error instanceof EventLogError
        ? 'error'
        : 'database error';
  io.stderr.write(`eventlog ${command.name}: ${kind}: ${message}\n`);
  return EXIT.runtime;
}
