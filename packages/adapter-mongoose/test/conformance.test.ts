import { runStorageConformance } from '@eventlog/conformance';
import type { ClientSession } from 'mongoose';
import { afterAll } from 'vitest';
import { brokenStorage, closeConnection, createHarness, target } from './harness';

// The same suite runs against jongodb (started by the globalSetup) or, when
// EVENTLOG_MONGODB_URL is set, against that real mongod.
runStorageConformance<ClientSession>({
  name: `mongoose (${target.server ?? 'MongoDB'})`,
  unavailable: target.unavailable,
  capabilities: { transactions: true, eventIdLookup: true, integrity: true },
  create: createHarness,
  broken: brokenStorage,
});

afterAll(closeConnection);
