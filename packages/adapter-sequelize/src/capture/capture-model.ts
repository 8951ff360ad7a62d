import type { CaptureAction, CaptureOptions, EventLogService, LogInput } from '@eventlog/core';
import {
  type CaptureSettings,
  captureInputs,
  captureSettings,
  type RowChange,
} from '@eventlog/core/storage';
import type { Model, ModelStatic, Transaction } from 'sequelize';
import { type Columns, captureHooks, type Markers, type Pending } from './hooks';
import { type RevertOptions, revertEntry } from './revert';
import { type Row, rowReader } from './rows';
import { excludedAttributes, trackedAttributes } from './tracked';

/** The handle `captureModel` returns. */
export interface SequelizeCapture {
  /**
   * Applies the inverse of the captured entry `entryId` through the model (restores the old
   * values, re-inserts a deleted row from its snapshot, deletes a created one), logged by the
   * capture with action `'revert'` and `metadata.revertOf`. Runs in `options.transaction` or the
   * CLS one; without either it is a `CaptureError` (reason `'no-transaction'`).
   *
   * @throws RevertConflictError when the row changed since the entry (unless `force`), or a
   * masked secret would have to be restored; CaptureError (`'not-found'`, `'not-revertible'`).
   */
  revert(entryId: string, options?: RevertOptions): Promise<void>;
  /** Stops capturing: removes the hooks. */
  stop(): void;
}

let captures = 0;

/**
 * Pairs the rows before and after a statement by primary key: before's order, then new rows.
 * Both reads are ordered by key, so rows pair by position while their keys agree; the rest are
 * matched through a map of the after rows by key.
 */
function pairRows(pk: string, before: Row[], after: Row[]): RowChange[] {
  const pairs: RowChange[] = [];
  let i = 0;
  for (const n = Math.min(before.length, after.length); i < n; i++) {
    const b = before[i] as Row;
    const a = after[i] as Row;
    if (b[pk] !== a[pk] || b[pk] === undefined || b[pk] === null) break;
    pairs.push({ before: b, after: a });
  }
  if (i === before.length && i === after.length) return pairs;
  const afterById = new Map<string, Row>();
  for (let j = i; j < after.length; j++) afterById.set(String(after[j]?.[pk]), after[j] as Row);
  for (let j = i; j < before.length; j++) {
    const b = before[j] as Row;
    const key = String(b[pk]);
    pairs.push({ before: b, after: afterById.get(key) ?? null });
    afterById.delete(key);
  }
  for (const a of afterById.values()) pairs.push({ before: null, after: a });
  return pairs;
}

const actionOf = (change: RowChange): CaptureAction =>
  change.before === null ? 'create' : change.after === null ? 'delete' : 'update';

/** The fields the templates read (`{record__name}` reads `name`). */
function templateFields(settings: CaptureSettings): string[] {
  return Object.values(settings.templates).flatMap((t) =>
    t.rows.map((r) => r.placeholder.split('__')[1] as string),
  );
}

/**
 * Captures every write of `model` through Sequelize hooks, the bulk ones included: `create`,
 * `save` / `update` of an instance, `destroy`, `bulkCreate`, `Model.update`, `Model.destroy` and
 * `upsert` each log one entry per affected row (`captureInputs`), in the write's transaction,
 * all entries of one statement in one `logMany` with one `batchId`.
 *
 * - A captured write outside a transaction (none passed, none from CLS) is refused with
 *   `CaptureError` (reason `'no-transaction'`) before anything is written: Sequelize has no hook
 *   that runs when a write fails, so a transaction opened by a hook could not be closed.
 * - The affected rows are read in the write's transaction before it (`SELECT … FOR UPDATE` on
 *   PostgreSQL, where a bulk write is then narrowed to the rows locked; SQLite's transaction
 *   lock serialises writers) and after it.
 * - The model's timestamp and version attributes are not tracked unless `only` names them.
 * - `idKey` defaults to the model's primary key, which must be a single column.
 * - Writes with `hooks: false`, `increment` / `decrement` and raw queries are not captured;
 *   `truncate` is refused.
 *
 * @throws CaptureError (reason `'options'`) for bad options or a composite primary key.
 */
export function captureModel(
  eventlog: EventLogService<Transaction>,
  model: ModelStatic<Model>,
  options: CaptureOptions,
): SequelizeCapture {
  const reader = rowReader(model);
  const settings = captureSettings({
    ...options,
    idKey: options.idKey ?? reader.pk,
    exclude: excludedAttributes(model, options),
  });
  const tracked = new Set(trackedAttributes(model, options));
  // The id and the fields the templates read are selected with every read.
  const always = [settings.idKey, ...templateFields(settings)].filter(
    (n) => n in model.rawAttributes,
  );
  const columns: Columns = {
    full: [...new Set([...tracked, ...always])],
    written(fields) {
      const changed = fields.filter((f) => tracked.has(f));
      return changed.length === 0 ? null : [...new Set([...changed, ...always])];
    },
  };
  const n = ++captures;
  const markers: Markers = {
    statement: Symbol(`eventlog capture ${n}: statement`),
    revertOf: Symbol(`eventlog capture ${n}: revert of`),
  };
  const diff = eventlog.createDiffSchema;

  async function finish(p: Pending): Promise<void> {
    const changes = pairRows(reader.pk, p.before, await p.after());
    const metadata = p.revertOf === undefined ? undefined : { revertOf: p.revertOf };
    const groups = new Map<CaptureAction, RowChange[]>();
    for (const change of changes) {
      const action = p.revertOf === undefined ? actionOf(change) : 'revert';
      const group = groups.get(action);
      if (group === undefined) groups.set(action, [change]);
      else group.push(change);
    }
    const inputs: LogInput[] = [];
    for (const [action, rows] of groups) {
      inputs.push(...captureInputs(settings, action, rows, { diff, metadata }));
    }
    if (inputs.length === 0) return;
    const logOptions = { transaction: p.tx, batchId: true as const };
    await eventlog.logMany(inputs, logOptions);
  }

  const hooks = captureHooks(model, reader, columns, markers, finish);
  const name = `eventlog-capture-${n}`;
  for (const [type, fn] of Object.entries(hooks)) model.addHook(type as never, name, fn as never);
  return {
    revert: (entryId, revertOptions = {}) =>
      revertEntry(
        { eventlog, model, reader, settings, full: columns.full, revertOf: markers.revertOf },
        entryId,
        revertOptions,
      ),
    stop() {
      for (const type of Object.keys(hooks)) model.removeHook(type as never, name);
    },
  };
}
