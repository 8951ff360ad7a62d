/**
 * Vitest global setup: one throwaway MariaDB server for the whole run (or `EVENTLOG_MYSQL_URL`
 * as given). The URL reaches test workers through `process.env`, which they inherit when forked
 * after this runs. When the server cannot start, the run fails under CI (`isCI()`); elsewhere the
 * reason is recorded in `EVENTLOG_MYSQL_UNAVAILABLE` and the MySQL/MariaDB suites skip saying why.
 */

// Global setups resolve without the source export condition: the helper by its path.
import { isCI } from '../../../conformance/src/is-ci';
import { MYSQL_UNAVAILABLE_ENV, MYSQL_URL_ENV, startMariadb } from '../mariadb';

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env[MYSQL_URL_ENV]) return undefined;
  try {
    const server = await startMariadb();
    process.env[MYSQL_URL_ENV] = server.url;
    return async () => {
      delete process.env[MYSQL_URL_ENV];
      await server.stop();
    };
  } catch (error) {
    if (isCI()) throw error;
    const reason = (error as Error).message.split('\n')[0] ?? 'unknown error';
    process.env[MYSQL_UNAVAILABLE_ENV] = reason;
    console.warn(`\n[eventlog] MySQL/MariaDB suites will be SKIPPED: ${reason}\n`);
    return undefined;
  }
}
