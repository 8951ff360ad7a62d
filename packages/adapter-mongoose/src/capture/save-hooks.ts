import { AsyncLocalStorage } from 'node:async_hooks';
import type { RowChange } from '@eventlog/core/storage';
import type { ClientSession, Document, Model, Schema } from 'mongoose';
import { type Capture, logCaptured } from './emit';
import { readByIds, readDocs, type StoredDoc } from './read-state';
import { requireTransaction } from './session';

/** What `pre('save')` found for one document. */
interface Pending {
  session: ClientSession;
  before: StoredDoc | null;
}

/** The rows of one `Model.create()` call, logged together once every document is saved. */
interface CreateBatch {
  capture: Capture;
  model: Model<unknown> | null;
  session: ClientSession | null;
  ids: unknown[];
}

const pending = new WeakMap<Document, Pending>();
const createBatch = new AsyncLocalStorage<CreateBatch>();

type Doc = Document & { constructor: Model<unknown>; $isSubdocument?: boolean };

/**
 * Captures `doc.save()`: a new document is a create; an existing one with `modifiedPaths()` an
 * update, whose stored state is read before and after inside the save's transaction; a save
 * that modified nothing writes nothing and logs nothing.
 */
export function addSaveHooks(schema: Schema, capture: Capture): void {
  schema.pre('save', async function (this: Doc, options?: { session?: ClientSession | null }) {
    if (this.$isSubdocument) return;
    const model = this.constructor;
    const given = this.$session() != null ? { session: this.$session() } : options;
    const session = requireTransaction(model.db, `${model.modelName}.save()`, given);
    if (this.isNew) {
      pending.set(this, { session, before: null });
      return;
    }
    if (this.modifiedPaths().length === 0) return;
    const [before] = await readDocs(model, { _id: this._id }, session, { one: true });
    pending.set(this, { session, before: before ?? null });
  });
  schema.post('save', async function (this: Doc) {
    const state = pending.get(this);
    if (!state) return;
    pending.delete(this);
    const batch = createBatch.getStore();
    if (batch?.capture === capture && state.before === null) {
      batch.model = this.constructor;
      batch.session = state.session;
      batch.ids.push(this._id);
      return;
    }
    const [after] = (await readByIds(this.constructor, [this._id], state.session)).values();
    await logCaptured(capture, [{ before: state.before, after: after ?? null }], state.session);
  });
}

/**
 * `Model.create()` saves each document on its own; the rows its saves capture are logged
 * together, with one `logMany`, when it returns — and also when it fails part way, so that
 * documents already saved in the transaction never go without their entry.
 */
export async function capturedCreate<T>(capture: Capture, create: () => Promise<T>): Promise<T> {
  const batch: CreateBatch = { capture, model: null, session: null, ids: [] };
  const flush = () =>
    batch.model && batch.session
      ? logCreated(capture, batch.model, batch.ids, batch.session)
      : Promise.resolve();
  let result: T;
  try {
    result = await createBatch.run(batch, create);
  } catch (error) {
    // The create's own failure is what the caller must see, even if logging fails too.
    await flush().catch(() => undefined);
    throw error;
  }
  await flush();
  return result;
}

/** Logs the creation of the documents with these `_id`s, read as stored. */
export async function logCreated(
  capture: Capture,
  model: Model<unknown>,
  ids: readonly unknown[],
  session: ClientSession,
): Promise<void> {
  const stored = await readByIds(model, ids, session);
  const rows: RowChange[] = [];
  for (const after of stored.values()) rows.push({ before: null, after });
  await logCaptured(capture, rows, session);
}
