import { CaptureError } from '@eventlog/core';
import type { RowChange } from '@eventlog/core/storage';
import { type ClientSession, type Model, type Query, type Schema, Types } from 'mongoose';
import { type Capture, logCaptured } from './emit';
import { idText, readByIds, readDocs, type StoredDoc } from './read-state';
import { requireTransaction } from './session';

/** Query operations that write at most one document, the first the filter (and sort) picks. */
const SINGLE = ['updateOne', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace'] as const;
const SINGLE_DELETE = ['deleteOne', 'findOneAndDelete'] as const;
const REPLACING = new Set(['replaceOne', 'findOneAndReplace']);

/** What the pre hook of one query found, for its post hook. */
interface Pending {
  session: ClientSession;
  before: StoredDoc[];
  /** The `_id` an upsert that matched nothing inserts, when known before the write. */
  upsertId: unknown;
}

type AnyQuery = Query<unknown, unknown>;

const pending = new WeakMap<AnyQuery, Pending>();

/**
 * Captures the query writes: reads the documents the write will touch inside its transaction,
 * pins the write to exactly those `_id`s (so what is logged is what is written, whatever commits
 * around it), and after the write reads them again and logs each one's diff. Operators such as
 * `$inc` or `$push` are thus logged as their effect: the values before and after.
 */
export function addQueryHooks(schema: Schema, capture: Capture): void {
  const hooks = { document: false, query: true } as const;
  const writes = [...SINGLE, 'updateMany'];
  const deletes = [...SINGLE_DELETE, 'deleteMany'];
  schema.pre([...writes, ...deletes] as never, hooks, async function (this: AnyQuery) {
    await beforeWrite(this);
  });
  schema.post(writes as never, hooks, async function (this: AnyQuery, result: unknown) {
    await afterUpdate(this, capture, result);
  });
  schema.post(deletes as never, hooks, async function (this: AnyQuery) {
    const state = take(this);
    if (!state) return;
    const rows = state.before.map((before) => ({ before, after: null }));
    await logCaptured(capture, rows, state.session);
  });
}

/** The operation name (`updateMany`...), which Mongoose's types leave out. */
function opOf(query: AnyQuery): string {
  return (query as unknown as { op: string }).op;
}

function modelOf(query: AnyQuery): Model<unknown> {
  return query.model as Model<unknown>;
}

async function beforeWrite(query: AnyQuery): Promise<void> {
  const options = query.getOptions() as { session?: ClientSession | null } & Record<
    string,
    unknown
  >;
  const model = modelOf(query);
  const session = requireTransaction(model.db, `${model.modelName}.${opOf(query)}()`, options);
  const filter = query.getFilter() as Record<string, unknown>;
  const one = opOf(query) !== 'updateMany' && opOf(query) !== 'deleteMany';
  const before = await readDocs(model, filter, session, {
    one,
    sort: options.sort,
    collation: options.collation,
  });
  let upsertId: unknown;
  if (before.length === 0 && options.upsert === true) {
    upsertId = pinUpsertId(query);
  } else {
    query.setQuery({ $and: [filter, { _id: { $in: before.map((d) => d._id) } }] });
  }
  pending.set(query, { session, before, upsertId });
}

function take(query: AnyQuery): Pending | undefined {
  const state = pending.get(query);
  pending.delete(query);
  return state;
}

async function afterUpdate(query: AnyQuery, capture: Capture, result: unknown): Promise<void> {
  const state = take(query);
  if (!state) return;
  // The server's word first (update results carry it); findOneAnd* results do not.
  const upsertId = (result as { upsertedId?: unknown } | null)?.upsertedId ?? state.upsertId;
  const ids = state.before.map((d) => d._id);
  if (upsertId != null) ids.push(upsertId);
  const after = await readByIds(modelOf(query), ids, state.session);
  const rows: RowChange[] = state.before.map((before) => ({
    before,
    after: after.get(idText(before._id)) ?? null,
  }));
  const inserted = upsertId == null ? undefined : after.get(idText(upsertId));
  if (inserted) rows.push({ before: null, after: inserted });
  await logCaptured(capture, rows, state.session);
}

/**
 * The `_id` an upsert that matched nothing will insert: the filter's own `_id` when it names one,
 * else the update's, else a fresh ObjectId set on insert. Undefined when none applies (a custom
 * `_id` type, a pipeline update): the post hook then reads it from the write's `upsertedId`;
 * `findOneAnd*` results carry none, so such an upsert is refused before it runs.
 */
function pinUpsertId(query: AnyQuery): unknown {
  const filterId = equalityValue((query.getFilter() as { _id?: unknown })._id);
  if (filterId !== undefined) return filterId;
  const given = query.getUpdate() ?? {};
  const update = given as Record<string, unknown>;
  const set = update.$set as { _id?: unknown } | undefined;
  const onInsert = (update.$setOnInsert ?? {}) as { _id?: unknown };
  const named = Array.isArray(given) ? undefined : (update._id ?? set?._id ?? onInsert._id);
  if (named !== undefined) return named;
  if (Array.isArray(given) || modelOf(query).schema.path('_id')?.instance !== 'ObjectId') {
    if (opOf(query).startsWith('findOneAnd')) {
      throw new CaptureError(
        'no-id',
        `${modelOf(query).modelName}.${opOf(query)}() with upsert must name the _id in its filter or update, so the inserted document can be logged`,
      );
    }
    return undefined;
  }
  const id = new Types.ObjectId();
  if (REPLACING.has(opOf(query))) query.setUpdate({ ...update, _id: id });
  else query.setUpdate({ ...update, $setOnInsert: { ...onInsert, _id: id } });
  return id;
}

/** The value an `_id` condition pins: itself, or the operand of `$eq`; else undefined. */
function equalityValue(condition: unknown): unknown {
  if (!isOperatorObject(condition)) return condition;
  const keys = Object.keys(condition as object);
  return keys.length === 1 && keys[0] === '$eq' ? (condition as { $eq: unknown }).$eq : undefined;
}

function isOperatorObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || value instanceof Types.ObjectId) return false;
  return Object.keys(value).some((k) => k.startsWith('$'));
}
