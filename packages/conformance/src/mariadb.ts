/**
 * Throwaway MariaDB servers for tests, started from the local server binaries (or taken from
 * `EVENTLOG_MYSQL_URL`). No driver is needed: readiness is probed with `mariadb-admin ping` and
 * the database is created with the `mariadb` client, so any adapter's tests can reuse this file.
 */

import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Env var holding the URL of the MySQL/MariaDB server tests use (set by the global setup). */
export const MYSQL_URL_ENV = 'EVENTLOG_MYSQL_URL';
/** Env var holding why MariaDB could not be started, so suites skip with that reason. */
export const MYSQL_UNAVAILABLE_ENV = 'EVENTLOG_MYSQL_UNAVAILABLE';

/** The database the started server holds, named in its URL. */
export const MARIADB_DATABASE = 'eventlog';

/** A running server: its connection URL and how to stop it. */
export interface MariadbServer {
  /** `mysql://root@127.0.0.1:port/eventlog` */
  url: string;
  /** Stops the server by pid and removes its data directory (a no-op for `EVENTLOG_MYSQL_URL`). */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
const POLL_MS = 50;

/** Where Debian and most distributions put the server binary; PATH is tried first. */
const MARIADBD_CANDIDATES = ['/usr/sbin/mariadbd', '/usr/libexec/mariadbd', '/usr/bin/mariadbd'];

/** The path of the `mariadbd` binary, or null when MariaDB server is not installed. */
export function findMariadbd(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    if (existsSync(join(dir, 'mariadbd'))) return join(dir, 'mariadbd');
  }
  return MARIADBD_CANDIDATES.find((path) => existsSync(path)) ?? null;
}

/** A reason MySQL/MariaDB tests cannot run here, or undefined when a URL is available. */
export function mariadbUnavailable(): string | undefined {
  if (process.env[MYSQL_URL_ENV]) return undefined;
  return (
    process.env[MYSQL_UNAVAILABLE_ENV] ??
    `${MYSQL_URL_ENV} is not set (the MariaDB global setup did not run)`
  );
}

/** The URL the global setup exposed; throws when there is none. */
export function mariadbUrl(): string {
  const url = process.env[MYSQL_URL_ENV];
  if (!url) throw new Error(mariadbUnavailable());
  return url;
}

/**
 * Server settings for a test run: durability off (tests need speed, not crash safety), small
 * buffers and logs (the machine is shared). The server's default collation is a case-insensitive
 * one on purpose, as on most installs (Debian: `utf8mb4_general_ci`): the adapter's table must
 * compare exactly by itself, and the tests would not see it if the server did it for them.
 */
const LIGHT_SETTINGS = [
  '--innodb-buffer-pool-size=64M',
  '--innodb-log-file-size=8M',
  '--innodb-flush-log-at-trx-commit=0',
  '--innodb-doublewrite=0',
  '--skip-log-bin',
  '--performance-schema=OFF',
  '--skip-name-resolve',
  '--character-set-server=utf8mb4',
  '--collation-server=utf8mb4_unicode_ci',
  '--max-connections=300',
];

/**
 * Starts a throwaway server: `mariadb-install-db` into a fresh temp dir, then `mariadbd` on a
 * free 127.0.0.1 port with its socket and log in that dir, and a database `eventlog`. `root`
 * connects over TCP without a password (real authentication, not `--skip-grant-tables`). When
 * running as root, the server runs as the `mysql` user. Uses `EVENTLOG_MYSQL_URL` instead when set.
 */
export async function startMariadb(): Promise<MariadbServer> {
  const external = process.env[MYSQL_URL_ENV];
  if (external) return { url: external, stop: async () => {} };

  const mariadbd = findMariadbd();
  if (mariadbd === null) {
    throw new Error(
      'no mariadbd binary on PATH or in /usr/sbin (install the `mariadb-server` package or set EVENTLOG_MYSQL_URL)',
    );
  }
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? ['--user=mysql'] : [];

  const base = await mkdtemp(join(tmpdir(), 'eventlog-mariadb-'));
  let child: ChildProcess | undefined;
  try {
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'mysql']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'mysql']).toString().trim());
      await chown(base, uid, gid);
    }
    const data = join(base, 'data');
    await run('mariadb-install-db', [
      '--no-defaults',
      '--auth-root-authentication-method=normal',
      `--datadir=${data}`,
      '--skip-test-db',
      ...user,
      // Read by the bootstrap server: the redo log is created at this size (the default is 96 MB).
      '--innodb-log-file-size=8M',
      '--innodb-buffer-pool-size=32M',
      '--skip-name-resolve',
    ]);
    const port = await freePort();
    const log = join(base, 'server.log');
    child = spawn(
      mariadbd,
      [
        '--no-defaults',
        `--datadir=${data}`,
        `--socket=${join(base, 'sock')}`,
        `--pid-file=${join(base, 'server.pid')}`,
        `--log-error=${log}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        ...user,
        ...LIGHT_SETTINGS,
      ],
      // Its own process group, so a Ctrl-C in the terminal does not stop it before teardown.
      { detached: true, stdio: 'ignore' },
    );
    child.unref();
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not spawn ${mariadbd}`);
    await waitReady(child, port, base);
    await sql(port, `CREATE DATABASE ${MARIADB_DATABASE}`);
    const killOnExit = () => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    // A crashed test runner must not leave the server running.
    process.once('exit', killOnExit);
    return {
      url: `mysql://root@127.0.0.1:${port}/${MARIADB_DATABASE}`,
      async stop() {
        process.removeListener('exit', killOnExit);
        await stopPid(pid);
        await rm(base, { recursive: true, force: true });
      },
    };
  } catch (error) {
    const log = readLog(base);
    if (child?.pid !== undefined) await stopPid(child.pid);
    await rm(base, { recursive: true, force: true });
    throw new Error(`could not start MariaDB: ${(error as Error).message}${log}`, {
      cause: error,
    });
  }
}

/** Runs `statement` as root on the server listening on `port`. */
async function sql(port: number, statement: string): Promise<void> {
  await run('mariadb', [
    '--no-defaults',
    '-h',
    '127.0.0.1',
    '-P',
    String(port),
    '-u',
    'root',
    '-e',
    statement,
  ]);
}

function freePort(): Promise<number> {
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

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Probes with `mariadb-admin ping` until the server answers; fails at once if it exits. */
async function waitReady(child: ChildProcess, port: number, base: string): Promise<void> {
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `mariadbd exited (${signal ?? `code ${code}`})`;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited !== undefined) throw new Error(exited);
    try {
      await run('mariadb-admin', [
        '--no-defaults',
        '-h',
        '127.0.0.1',
        '-P',
        String(port),
        '-u',
        'root',
        '--connect-timeout=1',
        'ping',
      ]);
      return;
    } catch {
      // not ready yet
    }
    if (Date.now() > deadline)
      throw new Error(`not ready after ${READY_TIMEOUT_MS} ms${readLog(base)}`);
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

/** Clean shutdown (SIGTERM), probing until the process is gone; SIGKILL past the deadline. */
async function stopPid(pid: number): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      return;
    }
    await pause(POLL_MS);
  }
}

function readLog(base: string): string {
  try {
    return `\n--- server.log ---\n${readFileSync(join(base, 'server.log'), 'utf8').slice(-2000)}`;
  } catch {
    return '';
  }
}
