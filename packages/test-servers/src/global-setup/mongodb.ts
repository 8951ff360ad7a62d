// Global setups resolve without the source export condition: the helper by its path.
import { isCI } from '../../../conformance/src/is-ci';
import { startMongo, waitForPing } from '../mongodb';

/**
 * vitest globalSetup: one MongoDB-wire server for the whole run. Uses `EVENTLOG_MONGODB_URL`
 * when set (a real mongod), else starts jongodb. The URL reaches the forked workers through
 * `process.env.EVENTLOG_MONGODB_URL`, set here before any worker starts. When no server can be
 * had, CI (`isCI()`) fails the run; elsewhere `EVENTLOG_MONGODB_UNAVAILABLE` carries the reason and
 * the MongoDB suites skip, saying it.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.EVENTLOG_MONGODB_URL;
  try {
    if (given) {
      await waitForPing(given, 10_000);
      // Kept when another project's setup of this run started the server (jongodb).
      process.env.EVENTLOG_MONGODB_SERVER ??= 'EVENTLOG_MONGODB_URL';
      return undefined;
    }
    const server = await startMongo();
    process.env.EVENTLOG_MONGODB_URL = server.url;
    process.env.EVENTLOG_MONGODB_SERVER = 'jongodb';
    return async () => {
      await server.stop();
      delete process.env.EVENTLOG_MONGODB_URL;
      delete process.env.EVENTLOG_MONGODB_SERVER;
    };
  } catch (error) {
    const reason = `no MongoDB-wire server: ${error instanceof Error ? error.message : String(error)}`;
    if (isCI()) throw new Error(reason, { cause: error });
    process.env.EVENTLOG_MONGODB_UNAVAILABLE = reason;
    console.warn(`[eventlog] MongoDB suites will be skipped: ${reason}`);
    return undefined;
  }
}
