import type { EventLogService } from '@eventlog/core';
import type { Model, ModelStatic, Transaction } from 'sequelize';
import { buildInputs, type CaptureOptions, type RowPair } from './core-shim';
import { type Columns, captureHooks, type Markers, type Pending } from './hooks';
import { type Row, rowReader } from './rows';
import { excludedAttributes, trackedAttributes } from './tracked';

/** Options of `SequelizeCapture.revert`. */
export interface RevertOptions {
  /** The transaction to revert in; else the CLS one. */
  transaction?: Transaction;
  /** Revert even when the object changed since the entry. */
  force?: boolean;
}

/** The handle `captureModel` returns. */
export interface SequelizeCapture {
  /** Stops capturing: removes the hooks. */
  stop(): void;
}

let captures = 0;

/** Pairs the rows before and after a statement by primary key, in key order of `before`, then new ones. */
function pairRows(pk: string, before: Row[], after: Row[]): RowPair[] {
  const afterById = new Map(after.map((r) => [String(r[pk]), r]));
  const pairs: RowPair[] = before.map((b) => {
    const key = String(b[pk]);
    const a = afterById.get(key) ?? null;
    afterById.delete(key);
    return { before: b, after: a };
  });
  for (const a of afterById.values()) pairs.push({ before: null, after: a });
  return pairs;
}

/**
 * Captures every write of `model` through Sequelize hooks (the bulk ones included): `create`,
 * `save` / `update` of an instance, `destroy`, `bulkCreate`, `Model.update`, `Model.destroy` and
 * `upsert` each log one entry per affected row in the write's transaction, all entries of one
 * statement in one `logMany` with one `batchId`. A captured write outside a transaction (none
 * passed, none from CLS) is refused with `CaptureError` (reason `'no-transaction'`) before
 * anything is written.
 */
export function captureModel(
  eventlog: EventLogService<Transaction>,
  model: ModelStatic<Model>,
  options: CaptureOptions,
): SequelizeCapture {
  const reader = rowReader(model);
  const settings: CaptureOptions = {
    ...options,
    idKey: options.idKey ?? reader.pk,
    exclude: excludedAttributes(model, options),
  };
  const tracked = trackedAttributes(model, options);
  const trackedSet = new Set(tracked);
  // The id and the fields the templates read are selected with every read.
  const always = [settings.idKey as string].filter((n) => n in model.rawAttributes);
  const columns: Columns = {
    full: [...new Set([...tracked, ...always])],
    written(fields) {
      const changed = fields.filter((f) => trackedSet.has(f));
      return changed.length === 0 ? null : [...new Set([...changed, ...always])];
    },
  };
  const n = ++captures;
  const markers: Markers = {
    statement: Symbol(`eventlog capture ${n}: statement`),
    revertOf: Symbol(`eventlog capture ${n}: revert of`),
  };
  async function finish(p: Pending): Promise<void> {
    const pairs = pairRows(reader.pk, p.before, await p.after());
    const inputs = buildInputs(eventlog as never, settings, pairs, p.revertOf);
    if (inputs.length === 0) return;
    await eventlog.logMany(inputs, { transaction: p.tx, batchId: true } as never);
  }
  const hooks = captureHooks(model, reader, columns, markers, finish);
  const name = `eventlog-capture-${n}`;
  for (const [type, fn] of Object.entries(hooks)) model.addHook(type as never, name, fn as never);
  return {
    stop() {
      for (const type of Object.keys(hooks)) model.removeHook(type as never, name);
    },
  };
}
