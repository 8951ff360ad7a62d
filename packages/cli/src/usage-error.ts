/** Exit codes of `eventlog`. */
export const EXIT = {
  ok: 0,
  /** `verify` found a broken chain. */
  verificationFailed: 1,
  /** Bad arguments or options. */
  usage: 2,
  /** The database or the file system failed. */
  runtime: 3,
} as const;

/** A command line the CLI cannot run: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
