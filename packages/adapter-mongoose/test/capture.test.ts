import { runCaptureConformance } from '@eventlog/conformance';
import { afterAll } from 'vitest';
import { createCaptureHarness } from './capture-harness';
import { closeConnection, serverLabel, target } from './harness';

runCaptureConformance({
  name: `mongoose (${serverLabel})`,
  create: createCaptureHarness,
  unavailable: target.url ? undefined : target.unavailable,
  noWriteConflicts:
    target.server === 'jongodb'
      ? 'jongodb commits two transactions that wrote the same document without a WriteConflict, so an update is lost in the data itself; set EVENTLOG_MONGODB_URL to a mongod replica set'
      : undefined,
});
afterAll(closeConnection);
