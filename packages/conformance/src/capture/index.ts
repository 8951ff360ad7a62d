import { describeSuite } from '../describe-suite';
import { atomicTests } from './atomic';
import { bulkTests } from './bulk';
import { concurrencyTests } from './concurrency';
import type { CaptureConformanceOptions } from './harness';
import { integrityTests } from './integrity';
import { revertTests } from './revert';
import { writeTests } from './writes';

export type {
  CaptureConformanceOptions,
  CaptureHarness,
  CaptureSetup,
  CaptureWriteOptions,
  ItemRow,
  ItemWhere,
  NewItem,
  OutsideTransactionRule,
} from './harness';

/**
 * Registers the capture conformance suite for one ORM's capture on one database. Each test
 * builds its own harness (`options.create`) over a fresh table and log and closes it afterwards.
 * When `options.unavailable` is set, the suite is skipped with that reason on a developer's
 * machine and fails under `CI`.
 */
export function runCaptureConformance<Tx>(options: CaptureConformanceOptions<Tx>): void {
  describeSuite(`capture conformance: ${options.name}`, options, () => {
    writeTests(options);
    bulkTests(options);
    atomicTests(options);
    concurrencyTests(options);
    revertTests(options);
    integrityTests(options);
  });
}
