import { CaptureError, type EventLogService } from '@eventlog/core';
import { type CaptureSettings, planRevert } from '@eventlog/core/storage';
import type { Model, ModelStatic, Transaction } from 'sequelize';
import { clsTransaction } from '../sequelize-storage';
import type { RowReader } from './rows';

/** Options of `SequelizeCapture.revert`. */
export interface RevertOptions {
  /** The transaction to revert in; else the CLS one. */
  transaction?: Transaction;
  /** Revert even when the row changed since the entry (masked secrets are left as they are). */
  force?: boolean;
}

/** What a revert needs of its capture. */
export interface RevertContext {
  eventlog: EventLogService<Transaction>;
  model: ModelStatic<Model>;
  reader: RowReader;
  settings: CaptureSettings;
  /** Every tracked attribute and the id. */
  full: readonly string[];
  /** The options key the capture's hooks read the reverted entry's id from. */
  revertOf: symbol;
}

/**
 * Reverts `entryId` through the model's own writes, so the capture's hooks log it: the row is
 * read under the write's lock first and checked against what the entry left (`planRevert`).
 */
export async function revertEntry(
  ctx: RevertContext,
  entryId: string,
  options: RevertOptions,
): Promise<void> {
  const { model, reader, settings } = ctx;
  const tx = options.transaction ?? (model.sequelize && clsTransaction(model.sequelize));
  if (!tx) {
    throw new CaptureError(
      'no-transaction',
      `revert of ${settings.objectType} entries needs a transaction ({ transaction } or Sequelize CLS)`,
    );
  }
  const patch = await ctx.eventlog.revertPatch(entryId, { transaction: tx });
  if (patch.objectType !== settings.objectType) {
    throw new CaptureError(
      'not-revertible',
      `entry ${entryId} is about ${patch.objectType}, not ${settings.objectType}`,
    );
  }
  const where = { [reader.pk]: patch.objectId };
  const [current] = await reader.read(where, tx, { attributes: ctx.full, lock: true });
  const plan = planRevert(patch, current ?? null, {
    force: options.force === true,
    deep: settings.deep,
  });
  const write = { transaction: tx, [ctx.revertOf]: entryId };
  if (plan.operation === 'insert') await model.create(plan.set, write);
  else if (plan.operation === 'delete') await model.destroy({ where, ...write });
  else if (plan.operation === 'update') {
    const unset = Object.fromEntries(plan.unset.map((k) => [k, null]));
    await model.update({ ...plan.set, ...unset }, { where, ...write });
  }
}
