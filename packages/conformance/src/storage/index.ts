import { describeSuite } from '../describe-suite';
import type { StorageConformanceOptions } from '../harness';
import { appendTests } from './append';
import { batchTests } from './batch';
import { batchAtomicityTests } from './batch-atomicity';
import { bulkTests } from './bulk';
import { capabilityTests } from './capabilities';
import { changedKeyTests } from './changed-key';
import { countTests } from './count';
import { errorTests } from './errors';
import { filterTests } from './filters';
import { historyTests } from './history';
import { hostilePayloadTests } from './hostile-payloads';
import { hostileTextTests } from './hostile-text';
import { idempotencyTests } from './idempotency';
import { idempotencyConflictTests } from './idempotency-conflict';
import { idempotencyRetryTests } from './idempotency-retry';
import { jsonRoundTripTests } from './json-round-trip';
import { loneSurrogateTests } from './lone-surrogates';
import { messageLimitTests } from './message-limit';
import { microsecondTieTests } from './microsecond-ties';
import { objectLogTests } from './object-log';
import { orderingTests } from './ordering';
import { paginationTests } from './pagination';
import { retentionTests } from './retention';
import { searchTests } from './search';
import { searchPlanTests } from './search-plans';
import { secretTests } from './secrets';
import { sessionBatchTests } from './session-batch';
import { timestampRangeTests } from './timestamp-range';
import { transactionTests } from './transactions';

/**
 * Registers the storage conformance suite (vitest `describe` blocks) for one adapter. Call it at
 * the top level of the adapter's test file. Each test gets a fresh harness from
 * `options.create()` and closes it afterwards. When `options.unavailable` is set, the suite is
 * skipped with that reason on a developer's machine and fails under `CI`.
 */
export function runStorageConformance<Tx>(options: StorageConformanceOptions<Tx>): void {
  describeSuite(`storage conformance: ${options.name}`, options, () => {
    capabilityTests(options);
    appendTests(options);
    batchAtomicityTests(options);
    bulkTests(options);
    filterTests(options);
    searchTests(options);
    searchPlanTests(options);
    countTests(options);
    orderingTests(options);
    microsecondTieTests(options);
    paginationTests(options);
    objectLogTests(options);
    batchTests(options);
    historyTests(options);
    changedKeyTests(options);
    transactionTests(options);
    sessionBatchTests(options);
    retentionTests(options);
    jsonRoundTripTests(options);
    idempotencyTests(options);
    idempotencyRetryTests(options);
    idempotencyConflictTests(options);
    hostileTextTests(options);
    hostilePayloadTests(options);
    loneSurrogateTests(options);
    messageLimitTests(options);
    timestampRangeTests(options);
    secretTests(options);
    errorTests(options);
  });
}
