import { describe, it } from 'vitest';
import type { StorageConformanceOptions } from './harness';
import { isCI } from './is-ci';

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
    describe(title, body);
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
