import { describeSuite } from '../describe-suite';
import type { StorageConformanceOptions } from '../harness';
import { chainTests } from './chain';
import { checkpointTests } from './checkpoints';
import { cutTests } from './cut';
import { findingTests } from './findings';
import { statusTests } from './status';
import { tamperTests } from './tamper';

/**
 * Registers the tamper-evidence suite for one adapter: the hash chain, each kind of tampering
 * (done through `harness.tamper`) found at the right seq, checkpoints and their replay, and
 * chain-preserving retention. Tests skip, saying why, when the storage does not declare
 * `capabilities.integrity`; when `options.unavailable` is set the whole suite skips (fails
 * under `CI`), as `runStorageConformance` does.
 */
export function runIntegrityConformance<Tx>(options: StorageConformanceOptions<Tx>): void {
  describeSuite(`integrity conformance: ${options.name}`, options, () => {
    tamperTests(options);
    checkpointTests(options);
    chainTests(options);
    findingTests(options);
    cutTests(options);
    statusTests(options);
  });
}
