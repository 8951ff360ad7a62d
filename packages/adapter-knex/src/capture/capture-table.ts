import { randomUUID } from 'node:crypto';
import {
  CaptureError,
  type CaptureOptions,
  type EventLog,
  type EventLogService,
  type JsonObject,
} from '@eventlog/core';
import {
  type CaptureRow,
  type CaptureSettings,
  captureInputs,
  captureSettings,
  planRevert,
  type RowChange,
} from '@eventlog/core/storage';
import type { Knex } from 'knex';
import { type CaptureWhere, type TableWriter, tableWriter } from './table-writer';

/** Options of a captured write: the caller's transaction, joined by the write and its entries. */
export interface CaptureWriteOptions {
  transaction?: Knex.Transaction;
  /** When the write happened, for its entries (an import, a replayed job); default now. */
  timestamp?: Date;
}

/** Options of `revert`. */
export interface RevertOptions extends CaptureWriteOptions {
  /** Revert even when the row changed since the entry (masked secrets are left as they are). */
  force?: boolean;
}

/** A table whose writes are logged: one entry per affected row, all in the write's transaction. */
export interface CapturedTable<Row extends CaptureRow = CaptureRow> {
  /** Inserts `rows` (one entry each, action `create`); resolves to the rows as stored. */
  insert(rows: readonly Partial<Row>[], options?: CaptureWriteOptions): Promise<Row[]>;
  /**
   * Updates the rows matching `where` (an equality object or a `(qb) => …` callback) with
   * `patch`; one entry per row whose tracked fields changed. Resolves to the rows after.
   */
  update(where: CaptureWhere, patch: Partial<Row>, options?: CaptureWriteOptions): Promise<Row[]>;
  /** Deletes the rows matching `where`; one entry per row. Resolves to the rows as they were. */
  delete(where: CaptureWhere, options?: CaptureWriteOptions): Promise<Row[]>;
  /**
   * Applies the inverse of the captured entry `entryId` to its row (restores old values,
   * re-inserts a deleted row from its snapshot, deletes a created one), logged with action
   * `revert` and `metadata.revertOf`. Resolves to the revert's entry, or null when a forced
   * revert had nothing to do.
   *
   * @throws RevertConflictError when the row changed since (unless `force`), CaptureError when
   * the entry is missing or not a captured write of this table's `objectType`.
   */
  revert(entryId: string, options?: RevertOptions): Promise<EventLog | null>;
}

/** Entries per `logMany` call: a bulk statement is logged in a few calls, never one per row. */
const LOG_CHUNK = 5000;

/**
 * Tracks `table`: its writes go through the returned object, which logs one entry per affected
 * row through `eventlog` in the same transaction (the caller's, or one it opens when given
 * none: a write is never stored without its entries). The before-state is read under the
 * write's own lock (`UPDATE … RETURNING` the old values on PostgreSQL, `SELECT … FOR UPDATE` on
 * MySQL/MariaDB; SQLite serialises writers), so concurrent writers log diffs that chain.
 *
 * @throws CaptureError (reason `'options'`) for bad options.
 */
export function captureTable<Row extends CaptureRow = CaptureRow>(
  eventlog: EventLogService<Knex.Transaction>,
  db: Knex,
  table: string,
  options: CaptureOptions,
): CapturedTable<Row> {
  const settings = captureSettings(options);
  let writer: Promise<TableWriter> | undefined;
  const writerFor = (q: Knex) => {
    writer ??= tableWriter(q, table, settings.idKey).catch((error: unknown) => {
      writer = undefined;
      throw error;
    });
    return writer;
  };
  const diff = eventlog.createDiffSchema;

  /** Runs `fn` in the caller's transaction or a new one. */
  async function inTransaction<T>(
    given: Knex.Transaction | undefined,
    fn: (trx: Knex.Transaction, w: TableWriter) => Promise<T>,
  ): Promise<T> {
    const w = await writerFor(given ?? db);
    return given === undefined ? db.transaction((trx) => fn(trx, w)) : fn(given, w);
  }

  async function log(
    trx: Knex.Transaction,
    action: 'create' | 'update' | 'delete' | 'revert',
    changes: readonly RowChange[],
    opts: CaptureWriteOptions,
    metadata?: JsonObject,
  ): Promise<EventLog[]> {
    const { timestamp } = opts;
    const inputs = captureInputs(settings, action, changes, { diff, metadata, timestamp });
    if (inputs.length === 0) return [];
    // One batch id for the whole statement: the service draws it when one call takes them all.
    if (inputs.length <= LOG_CHUNK) {
      return eventlog.logMany(inputs, { transaction: trx, batchId: true });
    }
    const batchId = randomUUID();
    const entries: EventLog[] = [];
    for (let i = 0; i < inputs.length; i += LOG_CHUNK) {
      const chunk = inputs.slice(i, i + LOG_CHUNK);
      entries.push(...(await eventlog.logMany(chunk, { transaction: trx, batchId })));
    }
    return entries;
  }

  return {
    insert(rows, opts = {}) {
      return inTransaction(opts.transaction, async (trx, w) => {
        const after = await w.insert(trx, rows as CaptureRow[]);
        await log(
          trx,
          'create',
          after.map((row) => ({ before: null, after: row })),
          opts,
        );
        return after as Row[];
      });
    },
    update(where, patch, opts = {}) {
      return inTransaction(opts.transaction, async (trx, w) => {
        const changes = await w.update(trx, where, patch as CaptureRow);
        await log(trx, 'update', changes, opts);
        return changes.map((c) => c.after) as Row[];
      });
    },
    delete(where, opts = {}) {
      return inTransaction(opts.transaction, async (trx, w) => {
        const before = await w.delete(trx, where);
        await log(
          trx,
          'delete',
          before.map((row) => ({ before: row, after: null })),
          opts,
        );
        return before as Row[];
      });
    },
    async revert(entryId, opts = {}) {
      return inTransaction(opts.transaction, async (trx, w) => {
        const patch = await eventlog.revertPatch(entryId, { transaction: trx });
        if (patch.objectType !== settings.objectType) {
          throw new CaptureError(
            'not-revertible',
            `entry ${entryId} is about ${patch.objectType}, not ${settings.objectType}`,
          );
        }
        const current = await w.lockOne(trx, patch.objectId);
        const plan = planRevert(patch, current, { force: opts.force, deep: settings.deep });
        const change = await applyPlan(trx, w, plan, current, settings, patch.objectId);
        if (change === null) return null;
        const [entry] = await log(trx, 'revert', [change], opts, { revertOf: entryId });
        return entry ?? null;
      });
    },
  };
}

/** Writes a revert plan through the table's statements; the before/after of the row, or null. */
async function applyPlan(
  trx: Knex.Transaction,
  w: TableWriter,
  plan: ReturnType<typeof planRevert>,
  current: CaptureRow | null,
  settings: CaptureSettings,
  id: string,
): Promise<RowChange | null> {
  const where = { [settings.idKey]: current?.[settings.idKey] ?? id };
  switch (plan.operation) {
    case 'insert': {
      const [after] = await w.insert(trx, [plan.set]);
      return { before: null, after: after ?? null };
    }
    case 'delete': {
      const [before] = await w.delete(trx, where);
      return before === undefined ? null : { before, after: null };
    }
    case 'update': {
      const patch: CaptureRow = { ...plan.set };
      for (const key of plan.unset) patch[key] = null;
      const [change] = await w.update(trx, where, patch);
      return change ?? null;
    }
    default:
      return null;
  }
}
