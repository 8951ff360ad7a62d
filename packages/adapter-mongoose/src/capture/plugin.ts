import type { CaptureOptions, EventLogService } from '@eventlog/core';
import { captureSettings } from '@eventlog/core/storage';
import type { ClientSession, Model, Mongoose, Schema } from 'mongoose';
import type { Capture } from './emit';
import { addQueryHooks } from './query-hooks';
import { type RevertEntryOptions, revertEntry } from './revert';
import { addSaveHooks, capturedCreate, logCreated } from './save-hooks';
import { requireTransaction } from './session';

/** Options of `eventLogPlugin`: the service to log with, and what to capture. */
export type EventLogPluginOptions = CaptureOptions & {
  eventlog: EventLogService<ClientSession>;
};

type InsertManyOptions = { session?: ClientSession | null; rawResult?: boolean } & Record<
  string,
  unknown
>;

/**
 * A Mongoose schema plugin that logs every write of the model's documents:
 * `schema.plugin(eventLogPlugin, { eventlog, objectType: 'Item', tool: 'inventory' })`.
 * Captured: `save` (create and update; `insertOne` and `bulkSave` through it), `create`,
 * `insertMany`, `updateOne`, `updateMany`, `findOneAndUpdate`, `replaceOne`, `findOneAndReplace`,
 * `deleteOne`, `deleteMany`, `findOneAndDelete` (document `deleteOne`/`updateOne` included); not
 * `bulkWrite`. One entry per changed document, one `logMany` with one `batchId` per write; every
 * captured write must run in a transaction, else it is refused with `CaptureError` (reason
 * `'no-transaction'`) before anything is written. `idKey` defaults to `'_id'`; the version key
 * is never tracked. Adds the static `revertEntry` (see `EventLogStatics`).
 *
 * @throws CaptureError (reason `'options'`) when the capture options are invalid.
 */
export function eventLogPlugin(schema: Schema, options: EventLogPluginOptions): void {
  const { eventlog, ...captureOptions } = options;
  const versionKey = schema.get('versionKey');
  const capture: Capture = {
    eventlog,
    settings: captureSettings({
      ...captureOptions,
      idKey: captureOptions.idKey ?? '_id',
      // The version key counts saves; it is not the document's data.
      exclude: [...(captureOptions.exclude ?? []), ...(versionKey ? [versionKey] : [])],
    }),
  };
  addSaveHooks(schema, capture);
  addQueryHooks(schema, capture);
  schema.static(
    'revertEntry',
    function (this: Model<unknown>, entryId: string, opts?: RevertEntryOptions) {
      return revertEntry(capture, this, entryId, opts);
    },
  );
  schema.static('create', function (this: Model<unknown>, ...args: unknown[]) {
    const create = base(this).Model.create as (...a: unknown[]) => Promise<unknown>;
    return capturedCreate(capture, () => create.apply(this, args));
  });
  schema.static(
    'insertMany',
    async function (this: Model<unknown>, docs: unknown, opts: InsertManyOptions = {}) {
      const session = requireTransaction(this.db, `${this.modelName}.insertMany()`, opts);
      const insertMany = base(this).Model.insertMany as (
        d: unknown,
        o: InsertManyOptions,
      ) => Promise<unknown>;
      let result: unknown;
      try {
        result = await insertMany.call(this, docs, { ...opts, session });
      } catch (error) {
        // Documents inserted before a failure stay in the transaction until it aborts: log them
        // too, so that a caller who commits anyway does not lose their entries.
        const inserted = (error as { insertedDocs?: { _id: unknown }[] }).insertedDocs ?? [];
        const ids = inserted.map((d) => d._id);
        if (ids.length > 0) await logCreated(capture, this, ids, session).catch(() => undefined);
        throw error;
      }
      await logCreated(capture, this, insertedIds(result), session);
      return result;
    },
  );
}

function base(model: Model<unknown>): Mongoose {
  return model.base as Mongoose;
}

/** The `_id`s an `insertMany` inserted: of the returned documents, or of a raw result. */
function insertedIds(result: unknown): unknown[] {
  if (Array.isArray(result)) return result.map((d: { _id: unknown }) => d._id);
  const raw = (result as { insertedIds?: Record<string, unknown> } | null)?.insertedIds;
  return raw ? Object.values(raw) : [];
}
