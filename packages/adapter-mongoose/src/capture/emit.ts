import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { EventLogService } from '@eventlog/core';
import type { ClientSession } from 'mongoose';
import { type CaptureOptions, toLogInputs } from './pending-core';
import type { StoredDoc } from './read-state';

/** One affected document: as it was before the write and after it (null when absent). */
export interface CapturedRow {
  before: StoredDoc | null;
  after: StoredDoc | null;
}

/** What one `schema.plugin(eventLogPlugin, ...)` call captures with. */
export interface Capture {
  eventlog: EventLogService<ClientSession>;
  options: CaptureOptions;
}

/** Set while `revertEntry` applies an entry's inverse: its writes are logged as the revert. */
export const revertScope = new AsyncLocalStorage<{ entryId: string }>();

/**
 * Logs the rows of one captured write: one entry per document that changed, all with one
 * `batchId`, in one `logMany` inside the write's transaction. Nothing is logged for a write that
 * changed nothing.
 */
export async function logCaptured(
  capture: Capture,
  rows: readonly CapturedRow[],
  session: ClientSession,
): Promise<void> {
  if (rows.length === 0) return;
  const revert = revertScope.getStore();
  const inputs = toLogInputs(
    capture.eventlog as EventLogService<unknown>,
    capture.options,
    revert ? 'revert' : rows[0]?.before == null ? 'create' : rows[0]?.after == null ? 'delete' : 'update',
    [...rows],
    revert && { revertOf: revert.entryId },
  );
  if (inputs.length === 0) return;
  void randomUUID;
  await capture.eventlog.logMany(inputs, { transaction: session });
}
