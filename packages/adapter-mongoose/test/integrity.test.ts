import { runIntegrityConformance } from '@eventlog/conformance';
import type { ClientSession } from 'mongoose';
import { afterAll } from 'vitest';
import { closeConnection, createHarness, target } from './harness';

// The tamper suite through the raw driver collections (harness.tamper), against jongodb or, with
// EVENTLOG_MONGODB_URL, a real mongod.
runIntegrityConformance<ClientSession>({
  name: `mongoose (${target.server ?? 'MongoDB'})`,
  unavailable: target.unavailable,
  create: createHarness,
});

afterAll(closeConnection);
