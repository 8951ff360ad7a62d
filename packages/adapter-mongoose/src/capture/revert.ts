import { CaptureError, type EventLog } from '@eventlog/core';
import { planRevert, type RevertPlan } from '@eventlog/core/storage';
import type { ClientSession, Model } from 'mongoose';
import { type Capture, revertScope } from './emit';
import { readDocs } from './read-state';
import { requireTransaction } from './session';

/** Options of `Model.revertEntry()`. */
export interface RevertEntryOptions {
  /** The session whose transaction the revert and its entry join (else the ambient one). */
  session?: ClientSession | null;
  /** Revert even when the document changed since the entry (masked secrets are left as they are). */
  force?: boolean;
}

/** The static the plugin adds to the model; add it to the model's type: `Model<T> & EventLogStatics`. */
export interface EventLogStatics {
  /**
   * Applies the inverse of the captured entry `entryId` through the captured write path, so the
   * revert is logged too (action `'revert'`, `metadata.revertOf` naming the entry): restores the
   * old values of an update, re-inserts a deleted document from its snapshot, deletes a created
   * one. Resolves to the revert's entry, or null when a forced revert had nothing to do.
   *
   * @throws CaptureError (`'no-transaction'` outside a transaction, `'not-found'`,
   * `'not-revertible'` for an entry of another object type or without a snapshot);
   * RevertConflictError when the document changed since the entry and `force` is not set.
   */
  revertEntry(entryId: string, options?: RevertEntryOptions): Promise<EventLog | null>;
}

/** `Model.revertEntry` of one plugin call. */
export async function revertEntry(
  capture: Capture,
  model: Model<unknown>,
  entryId: string,
  options: RevertEntryOptions = {},
): Promise<EventLog | null> {
  const session = requireTransaction(model.db, `${model.modelName}.revertEntry()`, options);
  const { settings } = capture;
  const patch = await capture.eventlog.revertPatch(entryId);
  if (patch.objectType !== settings.objectType) {
    throw new CaptureError(
      'not-revertible',
      `entry ${entryId} logs a ${patch.objectType}, not a ${settings.objectType}`,
    );
  }
  const where = { [settings.idKey]: patch.objectId };
  const [current] = await readDocs(model, where, session, { one: true });
  const plan = planRevert(patch, current ?? null, {
    force: options.force === true,
    deep: settings.deep,
  });
  const scope = { entryId, entries: [] as EventLog[] };
  await revertScope.run(scope, () => apply(model, plan, where, session));
  return scope.entries[0] ?? null;
}

/** Runs the planned write through the model, so the plugin's hooks capture it. */
async function apply(
  model: Model<unknown>,
  plan: RevertPlan,
  where: Record<string, string>,
  session: ClientSession,
): Promise<void> {
  switch (plan.operation) {
    case 'insert':
      await model.insertMany([{ ...where, ...plan.set }], { session });
      return;
    case 'delete':
      await model.deleteOne(where, { session });
      return;
    case 'update': {
      const unset = Object.fromEntries(plan.unset.map((k) => [k, 1]));
      const update = {
        ...(Object.keys(plan.set).length > 0 && { $set: plan.set }),
        ...(plan.unset.length > 0 && { $unset: unset }),
      };
      if (Object.keys(update).length > 0) await model.updateOne(where, update, { session });
      return;
    }
    case 'none':
      return;
  }
}
