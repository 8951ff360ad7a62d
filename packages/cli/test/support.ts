import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** Where the run's build of the CLI is (set by the cli project's global setup). */
export const CLI_BUILD_ENV = 'EVENTLOG_CLI_BUILD';

/**
 * The folder of this run's build of the CLI and the packages it loads, `<root>/node_modules/...`.
 * A config file written under it imports those builds, as an app's config imports its own.
 */
export function cliBuildRoot(): string {
  const root = process.env[CLI_BUILD_ENV];
  if (root === undefined) {
    throw new Error(
      `${CLI_BUILD_ENV} is not set: run the CLI tests through vitest (vitest.config.ts)`,
    );
  }
  return root;
}

/** What one run of the CLI gave. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `eventlog ...args` as a real process: this node on the run's build of the sources. */
export function cli(args: string[]): Promise<CliRun> {
  const bin = join(cliBuildRoot(), 'node_modules/@eventlog/cli/bin.js');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { maxBuffer: 256 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (error as { code?: unknown }).code : 0;
        if (typeof code !== 'number') reject(error);
        else resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Messages a CSV must carry intact: formula starters, quotes, separators, line breaks, unicode. */
export const TRICKY = [
  '=HYPERLINK("http://evil.example","click")',
  '+1 added',
  '-5 removed',
  '@SUM(A1:A2)',
  "'quoted already",
  'comma, and "quotes"',
  'two\nlines\r\nand CRLF',
  'emoji 😀 and U+202E \u202e',
  '\ttab first',
];
