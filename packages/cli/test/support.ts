import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

/** What one run of the CLI gave. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `eventlog ...args` as a real process (tsx on the sources). */
export function cli(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      tsx,
      ['--conditions=@eventlog/source', bin, ...args],
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
