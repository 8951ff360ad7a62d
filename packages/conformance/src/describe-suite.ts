import { describe, it } from 'vitest';
import type { StorageConformanceOptions } from './harness';
import { isCI } from './is-ci';

/**
 * Each test's time limit, whatever the project's vitest config says: the suite refuses payloads
 * of a million keys and talks to real databases, which outlasts vitest's 5 s default on a busy
 * machine.
 */
const SUITE_TEST_TIMEOUT = 60_000;

/**
 * Registers `body` as the suite `title` for one adapter. When `options.unavailable` says why its
 * database could not start, the suite is skipped with that reason on a developer's machine and
 * fails under CI (`isCI()`), where every database must run.
 */
export function describeSuite<Tx>(
  title: string,
  options: Pick<StorageConformanceOptions<Tx>, 'name' | 'unavailable'>,
  body: () => void,
): void {
  const reason = options.unavailable;
  if (reason === undefined) {
    describe(title, { timeout: SUITE_TEST_TIMEOUT }, body);
  } else if (isCI()) {
    describe(title, () => {
      it('has its database available (required under CI)', () => {
        throw new Error(`${options.name}: the database could not be started: ${reason}`);
      });
    });
  } else {
    describe.skip(`${title} — SKIPPED: ${reason}`, body);
  }
}
