/**
 * Throwaway PostgreSQL clusters for tests, started from the local server binaries (or taken from
 * `EVENTLOG_PG_URL`). No driver is needed: readiness is probed with `pg_isready` and databases are
 * created with `psql`, so any adapter's tests can reuse this file.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/** Env var holding the URL of the PostgreSQL server tests use (set by the global setup). */
export const PG_URL_ENV = 'EVENTLOG_PG_URL';
/** Env var holding why PostgreSQL could not be started, so suites skip with that reason. */
export const PG_UNAVAILABLE_ENV = 'EVENTLOG_PG_UNAVAILABLE';

/** A running server: its connection URL and how to stop it. */
export interface PostgresServer {
  /** `postgres://user@127.0.0.1:port/postgres` */
  url: string;
  /** Stops the server by pid and removes its data directory (a no-op for `EVENTLOG_PG_URL`). */
  stop(): Promise<void>;
}

/** The `bin` directory of the highest PostgreSQL version installed under /usr/lib/postgresql, or null. */
export function findPostgresBinDir(root = '/usr/lib/postgresql'): string | null {
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : join(root, versions[0], 'bin');
}

/** A reason PostgreSQL tests cannot run here, or undefined when a URL is available. */
export function postgresUnavailable(): string | undefined {
  if (process.env[PG_URL_ENV]) return undefined;
  return (
    process.env[PG_UNAVAILABLE_ENV] ??
    `${PG_URL_ENV} is not set (the PostgreSQL global setup did not run)`
  );
}

/** The URL the global setup exposed; throws when there is none. */
export function postgresUrl(): string {
  const url = process.env[PG_URL_ENV];
  if (!url) throw new Error(postgresUnavailable());
  return url;
}

/**
 * Starts a throwaway cluster: `initdb` into a fresh temp dir, the server on a free 127.0.0.1 port
 * with its socket in that dir and durability off (tests need speed, not crash safety). When running
 * as root, the binaries run as the `postgres` user. Uses `EVENTLOG_PG_URL` instead when it is set.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const external = process.env[PG_URL_ENV];
  if (external) return { url: external, stop: async () => {} };

  const bin = findPostgresBinDir();
  if (bin === null) {
    throw new Error(
      'no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (install the `postgresql` package or set EVENTLOG_PG_URL)',
    );
  }
  const exec = (cmd: string, args: string[]) =>
    runningAsRoot()
      ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args])
      : run(join(bin, cmd), args);

  const base = await serverDir('eventlog-pg-', 'postgres');
  try {
    const data = join(base, 'data');
    await exec('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    const port = await freePort();
    const settings = [
      `-p ${port}`,
      `-k ${base}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    // -W: return at once; readiness is decided by probing below, not by pg_ctl.
    await exec('pg_ctl', [
      '-D',
      data,
      '-l',
      join(base, 'server.log'),
      '-o',
      settings,
      '-W',
      'start',
    ]);
    const pid = await waitReady(bin, port, data, base);
    const unguard = killOnExit(pid, 'SIGQUIT');
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      async stop() {
        unguard();
        // Fast shutdown.
        await stopPid(pid, 'SIGINT');
        await rm(base, { recursive: true, force: true });
      },
    };
  } catch (error) {
    const log = readLog(base);
    await rm(base, { recursive: true, force: true });
    throw new Error(`could not start PostgreSQL: ${(error as Error).message}${log}`, {
      cause: error,
    });
  }
}

/**
 * Creates a fresh database on the server at `url` and returns its URL and a `drop()`; for suites
 * that need isolation beyond random table names (e.g. `sequelize.sync`). Needs `psql`.
 */
export async function createDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `eventlog_${Math.random().toString(36).slice(2, 10)}`;
  await psql(url, `CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    drop: () => psql(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function psql(url: string, sql: string): Promise<void> {
  const bin = findPostgresBinDir();
  const cmd = bin === null ? 'psql' : join(bin, 'psql');
  await run(cmd, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql]);
}

/** Probes with pg_isready until the server accepts connections; returns the postmaster pid. */
function waitReady(bin: string, port: number, data: string, base: string): Promise<number> {
  const ready = async () => {
    await run(join(bin, 'pg_isready'), [
      '-q',
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-t',
      '1',
    ]);
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  };
  // Our own probes log "FATAL: the database system is starting up"; any other FATAL or a PANIC
  // means the server gave up.
  const failed = () =>
    /FATAL: {2}(?!the database system is starting up)|PANIC/.test(readLog(base))
      ? 'the server failed to start'
      : undefined;
  return probeUntilReady(ready, base, failed);
}
