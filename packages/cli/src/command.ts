import type { Writable } from 'node:stream';
import type { ParseArgsConfig } from 'node:util';

/** Where a command writes: stdout for data, stderr for messages and progress. */
export interface CliIO {
  stdout: Writable;
  stderr: Writable;
  /** stderr is a terminal: progress is shown only then. */
  stderrIsTTY: boolean;
}

/** The values `parseArgs` gives a command (strings, booleans, repeated strings). */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** One subcommand of `eventlog`. */
export interface Command {
  name: string;
  /** One line for the main help. */
  summary: string;
  /** The command's `--help` text. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Runs it; returns the exit code. Throws `UsageError` for bad values. */
  run(values: OptionValues, io: CliIO): Promise<number>;
}

/** Options every command that opens the database takes. */
export const CONNECTION_OPTIONS = {
  db: { type: 'string' },
  config: { type: 'string' },
  table: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** The connection part of a command's usage text. */
export const CONNECTION_USAGE = `Connection (one of):
  --db <url>          sqlite:./app.db | postgres://user@host/db | mysql://...
  --config <file>     eventlog.config.{js,mjs,ts} whose default export is an EventLogService or a
                      storage (any adapter; a named \`close\` export runs at the end), or a
                      knex description { client, connection, tableName?, integrity? } (also .json)
  --table <name>      knex table name (default "eventlog", or the config's tableName)`;

/** A string option, or undefined. */
export const str = (v: OptionValues[string]): string | undefined =>
  typeof v === 'string' ? v : undefined;

/** A repeatable string option as an array (undefined when absent). */
export const list = (v: OptionValues[string]): string[] | undefined => {
  if (v === undefined) return undefined;
  const all = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
  return all.length === 0 ? undefined : all;
};

/** Writes to a stream, waiting when its buffer is full (constant memory on a slow reader). */
export async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) {
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        stream.off('drain', done);
        stream.off('error', done);
        if (error) reject(error);
        else resolve();
      };
      stream.once('drain', done);
      stream.once('error', done);
    });
  }
}
