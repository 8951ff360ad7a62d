import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MongoClient, type MongoClientOptions } from 'mongodb';

/** A running MongoDB-wire server for tests. */
export interface MongoServer {
  /** Connection string, e.g. `mongodb://127.0.0.1:40123/eventlog_test?replicaSet=jongodb-rs0`. */
  url: string;
  /** Stops the server by pid; resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/** How long the server may take to print its URI and answer a ping. */
const START_TIMEOUT_MS = 30_000;
/** How long a stopped server may take to exit before it is killed. */
const STOP_GRACE_MS = 5_000;

/**
 * Path of the jongodb binary (npm `@jongodb/memory-server-bin-linux-x64-gnu`). Throws with a
 * readable reason when the optional dependency is not installed (another platform).
 */
export function jongodbBinary(): string {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('@jongodb/memory-server-bin-linux-x64-gnu/package.json');
  } catch (cause) {
    throw new Error(
      'the jongodb binary (@jongodb/memory-server-bin-linux-x64-gnu, linux-x64-gnu only) is not installed; set EVENTLOG_MONGODB_URL to test against a running mongod',
      { cause },
    );
  }
  return join(dirname(manifest), 'bin', 'jongodb');
}

/**
 * Starts a throwaway jongodb server (single-node replica set, so transactions work) on a free
 * port of 127.0.0.1, waits until it answers a `ping`, and returns its URL. The caller stops it
 * with `stop()`; the process is also killed if this Node process exits first.
 */
export async function startMongo(database = 'eventlog_test'): Promise<MongoServer> {
  const child = spawn(
    jongodbBinary(),
    [
      '--host=127.0.0.1',
      '--port=0',
      `--database=${database}`,
      '--topology-profile=singleNodeReplicaSet',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // A crashed or interrupted test run must not leave the server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = () => {
    process.off('exit', killOnExit);
    return stopChild(child);
  };
  try {
    const url = await readUri(child);
    await waitForPing(url, START_TIMEOUT_MS, JONGODB_CLIENT_OPTIONS);
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves with the `JONGODB_URI=` line the server prints once it listens. */
function readUri(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(
      () => fail(new Error(`jongodb printed no URI within ${START_TIMEOUT_MS} ms: ${stderr}`)),
      START_TIMEOUT_MS,
    );
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onStdout);
      child.off('exit', onExit);
      child.off('error', fail);
    };
    function fail(error: Error) {
      cleanup();
      reject(error);
    }
    function onStdout(chunk: Buffer) {
      stdout += chunk.toString('utf8');
      const match = /JONGODB_URI=(\S+)/.exec(stdout);
      if (match?.[1]) {
        cleanup();
        // Keep draining stdout: a full pipe would block the server's logging, then the server.
        child.stdout?.resume();
        resolve(match[1]);
      }
    }
    function onExit(code: number | null, signal: string | null) {
      fail(
        new Error(`jongodb exited before listening (code ${code}, signal ${signal}): ${stderr}`),
      );
    }
    child.stdout?.on('data', onStdout);
    // Keep only the tail: it holds the reason when the server fails to start.
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.once('exit', onExit);
    child.once('error', fail);
  });
}

/**
 * Probes the server with `ping` until it answers: the driver's server selection retries until
 * the deadline, so there is no fixed sleep.
 */
export async function waitForPing(
  url: string,
  timeoutMs = START_TIMEOUT_MS,
  options: Readonly<MongoClientOptions> = {},
): Promise<void> {
  const client = new MongoClient(url, { ...options, serverSelectionTimeoutMS: timeoutMs });
  try {
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close();
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  }, STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Client options every test connection to jongodb needs (spread them into `MongoClient` or
 * `mongoose.createConnection`).
 *
 * jongodb (0.1.6, and still at its HEAD) answers `hello` with a `topologyVersion`, so the driver
 * switches its server monitor to the streaming protocol, but it does not implement exhaust
 * replies (`moreToCome`): every streamed heartbeat fails at once with "Server ended moreToCome
 * unexpectedly". Each failure marks the server Unknown, clears the connection pool and turns the
 * topology into ReplicaSetNoPrimary until the next polled heartbeat, `heartbeatFrequencyMS`
 * (10 s) later. Mongoose then reports the connection as disconnected, and connection-level calls
 * such as `startSession()` (hence `connection.transaction()`) wait for that heartbeat, racing
 * Mongoose's 10 s `bufferTimeoutMS`: under load the heartbeat loses, and the transaction fails
 * with "Connection operation buffering timed out after 10000ms". Polling keeps the monitor to
 * plain `hello` commands, which jongodb answers correctly. A real mongod needs none of this.
 */
export const JONGODB_CLIENT_OPTIONS: Readonly<MongoClientOptions> = Object.freeze({
  serverMonitoringMode: 'poll',
});

/** Where the run's MongoDB suites point: a server to use, or the reason there is none. */
export type MongoTestTarget =
  | {
      url: string;
      server: string;
      /** Options every client of this server must be created with (see `JONGODB_CLIENT_OPTIONS`). */
      clientOptions: Readonly<MongoClientOptions>;
      unavailable?: undefined;
    }
  | { url?: undefined; server?: undefined; clientOptions?: undefined; unavailable: string };

/**
 * What a test file reads to reach the run's server (set by the MongoDB globalSetup): the URL and
 * which server it is (`jongodb`, or `EVENTLOG_MONGODB_URL` for one given by the developer) with
 * the client options it needs, or the reason there is none, to hand to
 * `runStorageConformance({ unavailable })`.
 */
export function mongoTestTarget(): MongoTestTarget {
  const unavailable = process.env.EVENTLOG_MONGODB_UNAVAILABLE;
  if (unavailable) return { unavailable };
  const url = process.env.EVENTLOG_MONGODB_URL;
  if (!url) {
    return {
      unavailable:
        'EVENTLOG_MONGODB_URL is not set: run through the root vitest config, whose globalSetup starts jongodb',
    };
  }
  const server = process.env.EVENTLOG_MONGODB_SERVER ?? 'EVENTLOG_MONGODB_URL';
  return { url, server, clientOptions: server === 'jongodb' ? JONGODB_CLIENT_OPTIONS : {} };
}
