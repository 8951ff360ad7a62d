/**
 * What the throwaway database servers of the tests (PostgreSQL, MariaDB) share: a free loopback
 * port, a temp dir the server's own user owns, readiness by probing, a stop by pid, and the tail
 * of the server log for error messages.
 */

import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chown, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** `execFile` as a promise: rejects on a non-zero exit. */
export const run = promisify(execFile);

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
const POLL_MS = 50;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the current process runs as root (servers then run as their own user). */
export const runningAsRoot = (): boolean => process.getuid?.() === 0;

/** A fresh temp dir; owned by `user` when running as root, so a server running as it can write. */
export async function serverDir(prefix: string, user: string): Promise<string> {
  const base = await mkdtemp(join(tmpdir(), prefix));
  if (runningAsRoot()) {
    const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
    await chown(base, uid, gid);
  }
  return base;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The tail of `base/server.log`, formatted for an error message; empty when there is none. */
export function readLog(base: string): string {
  try {
    return `\n--- server.log ---\n${readFileSync(join(base, 'server.log'), 'utf8').slice(-2000)}`;
  } catch {
    return '';
  }
}

/**
 * Calls `attempt` until it resolves to a value (a rejection or `undefined` means "not ready yet"),
 * never sleeping blindly. `gaveUp` names a failure that makes waiting pointless (the server
 * exited, its log shows a fatal error); past the deadline the error carries the log tail.
 */
export async function probeUntilReady<T>(
  attempt: () => Promise<T | undefined>,
  base: string,
  gaveUp: () => string | undefined = () => undefined,
): Promise<T> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const reason = gaveUp();
    if (reason !== undefined) throw new Error(reason);
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`not ready after ${READY_TIMEOUT_MS} ms${readLog(base)}`);
    }
    await pause(POLL_MS);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal`, probing until the process is gone; SIGKILL past the deadline. */
export async function stopPid(pid: number, signal: NodeJS.Signals): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      return;
    }
    await pause(POLL_MS);
  }
}

/**
 * Kills `pid` with `signal` if the test runner exits first (a crashed run must not leave a
 * server behind); returns what removes that guard once the server is stopped normally.
 */
export function killOnExit(pid: number, signal: NodeJS.Signals): () => void {
  const kill = () => {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  };
  process.once('exit', kill);
  return () => process.removeListener('exit', kill);
}
