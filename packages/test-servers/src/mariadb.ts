/**
 * Throwaway MariaDB servers for tests, started from the local server binaries (or taken from
 * `EVENTLOG_MYSQL_URL`). No driver is needed: readiness is probed with `mariadb-admin ping` and
 * the database is created with the `mariadb` client, so any adapter's tests can reuse this file.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  freePort,
  killOnExit,
  probeUntilReady,
  readLog,
  run,
  runningAsRoot,
  serverDir,
  stopPid,
} from './server-process';

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
  const user = runningAsRoot() ? ['--user=mysql'] : [];

  const base = await serverDir('eventlog-mariadb-', 'mysql');
  let child: ChildProcess | undefined;
  try {
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
    const unguard = killOnExit(pid, 'SIGKILL');
    return {
      url: `mysql://root@127.0.0.1:${port}/${MARIADB_DATABASE}`,
      async stop() {
        unguard();
        // Clean shutdown.
        await stopPid(pid, 'SIGTERM');
        await rm(base, { recursive: true, force: true });
      },
    };
  } catch (error) {
    const log = readLog(base);
    if (child?.pid !== undefined) await stopPid(child.pid, 'SIGTERM');
    await rm(base, { recursive: true, force: true });
    throw new Error(`could not start MariaDB: ${(error as Error).message}${log}`, {
      cause: error,
    });
  }
}

/** How the `mariadb` and `mariadb-admin` clients reach the server on `port`, as root. */
const asRootOn = (port: number) => [
  '--no-defaults',
  '-h',
  '127.0.0.1',
  '-P',
  String(port),
  '-u',
  'root',
];

/** Runs `statement` as root on the server listening on `port`. */
async function sql(port: number, statement: string): Promise<void> {
  await run('mariadb', [...asRootOn(port), '-e', statement]);
}

/** Probes with `mariadb-admin ping` until the server answers; fails at once if it exits. */
async function waitReady(child: ChildProcess, port: number, base: string): Promise<void> {
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `mariadbd exited (${signal ?? `code ${code}`})`;
  });
  const ping = async () => {
    await run('mariadb-admin', [...asRootOn(port), '--connect-timeout=1', 'ping']);
    return true;
  };
  await probeUntilReady(ping, base, () => exited);
}
