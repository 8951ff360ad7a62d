import { AsyncLocalStorage } from 'node:async_hooks';
import type { CaptureAction, EventLog, EventLogService, LogInput } from '@eventlog/core';
import { type CaptureSettings, captureInputs, type RowChange } from '@eventlog/core/storage';
import type { ClientSession } from 'mongoose';

/** What one `schema.plugin(eventLogPlugin, ...)` call captures with. */
export interface Capture {
  eventlog: EventLogService<ClientSession>;
  settings: CaptureSettings;
}

/** Set while `revertEntry` applies an entry's inverse: its writes are logged as that revert. */
export const revertScope = new AsyncLocalStorage<{ entryId: string; entries: EventLog[] }>();

const kindOf = (row: RowChange): CaptureAction =>
  row.before === null ? 'create' : row.after === null ? 'delete' : 'update';

/**
 * Logs the rows of one captured write: one entry per document that changed (core's
 * `captureInputs`), all in one `logMany` with one generated `batchId`, inside the write's
 * transaction. A write that changed no tracked field logs nothing.
 */
export async function logCaptured(
  capture: Capture,
  rows: readonly RowChange[],
  session: ClientSession,
): Promise<void> {
  if (rows.length === 0) return;
  const revert = revertScope.getStore();
  const diff = capture.eventlog.createDiffSchema;
  const inputs: LogInput[] = [];
  // A write is all creates, all updates or all deletes, but for an upsert: one group each.
  for (const kind of ['create', 'update', 'delete'] as const) {
    const group = rows.filter((row) => kindOf(row) === kind);
    if (group.length === 0) continue;
    inputs.push(
      ...(revert
        ? captureInputs(capture.settings, 'revert', group, {
            diff,
            metadata: { revertOf: revert.entryId },
          })
        : captureInputs(capture.settings, kind, group, { diff })),
    );
  }
  if (inputs.length === 0) return;
  const entries = await capture.eventlog.logMany(inputs, { transaction: session, batchId: true });
  revert?.entries.push(...entries);
}
