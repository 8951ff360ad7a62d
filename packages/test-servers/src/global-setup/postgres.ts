/**
 * Vitest global setup: one throwaway PostgreSQL cluster for the whole run (or `EVENTLOG_PG_URL`
 * as given). The URL reaches test workers through `process.env`, which they inherit when forked
 * after this runs. When the server cannot start, the run fails under CI (`isCI()`); elsewhere the
 * reason is recorded in `EVENTLOG_PG_UNAVAILABLE` and the PostgreSQL suites skip saying why.
 */

// Global setups resolve without the source export condition: the helper by its path.
import { isCI } from '../../../conformance/src/is-ci';
import { PG_UNAVAILABLE_ENV, PG_URL_ENV, startPostgres } from '../postgres';

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env[PG_URL_ENV]) return undefined;
  try {
    const server = await startPostgres();
    process.env[PG_URL_ENV] = server.url;
    return async () => {
      delete process.env[PG_URL_ENV];
      await server.stop();
    };
  } catch (error) {
    if (isCI()) throw error;
    const reason = (error as Error).message.split('\n')[0] ?? 'unknown error';
    process.env[PG_UNAVAILABLE_ENV] = reason;
    console.warn(`\n[eventlog] PostgreSQL suites will be SKIPPED: ${reason}\n`);
    return undefined;
  }
}
