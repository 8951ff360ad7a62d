// Global setups resolve without the source export condition: the helper by its path.
import { isCI } from '../../../conformance/src/is-ci';

/** A started server: its URL and how to stop it. */
interface StartedServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * A vitest global setup for one throwaway server for the whole run (or the URL already in
 * `env.url`). The URL reaches test workers through `process.env`, which they inherit when forked
 * after this runs. When the server cannot start, the run fails under CI (`isCI()`); elsewhere the
 * reason is recorded in `env.unavailable` and the suites of `name` skip saying why.
 */
export function serverSetup(
  name: string,
  env: { url: string; unavailable: string },
  start: () => Promise<StartedServer>,
): () => Promise<(() => Promise<void>) | undefined> {
  return async () => {
    if (process.env[env.url]) return undefined;
    try {
      const server = await start();
      process.env[env.url] = server.url;
      return async () => {
        delete process.env[env.url];
        await server.stop();
      };
    } catch (error) {
      if (isCI()) throw error;
      const reason = (error as Error).message.split('\n')[0] ?? 'unknown error';
      process.env[env.unavailable] = reason;
      console.warn(`\n[eventlog] ${name} suites will be SKIPPED: ${reason}\n`);
      return undefined;
    }
  };
}
