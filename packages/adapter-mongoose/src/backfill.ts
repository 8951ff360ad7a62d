import type { Changes } from '@eventlog/core';
import { changedKeysOf } from '@eventlog/core/storage';
import type { Model, Types } from 'mongoose';
import { fromJson } from './mapping';
import type { EventLogDocument } from './schema';

/**
 * Fills `changedKeys` on the documents stored without it (by a version before changed-key
 * indexing, or by another writer), page by page in `_id` order, so `list({ changedKey })` finds
 * them; returns how many documents it filled. Idempotent: a document that has the field is left
 * alone, so it may run again, or while the application writes.
 */
export async function backfillChangedKeys(
  model: Model<EventLogDocument>,
  pageSize = 1000,
): Promise<number> {
  let filled = 0;
  let after: Types.ObjectId | null = null;
  for (;;) {
    const unindexed = { changedKeys: { $exists: false } };
    const docs: Pick<EventLogDocument, '_id' | 'changes'>[] = await model
      .find(after === null ? unindexed : { ...unindexed, _id: { $gt: after } }, { changes: 1 })
      .sort({ _id: 1 })
      .limit(pageSize)
      .lean<Pick<EventLogDocument, '_id' | 'changes'>[]>()
      .exec();
    const last = docs[docs.length - 1];
    if (last === undefined) return filled;
    await model.bulkWrite(
      docs.map((doc) => ({
        updateOne: {
          filter: { _id: doc._id, ...unindexed },
          update: { $set: { changedKeys: changedKeysOf(fromJson<Changes>(doc.changes)) } },
        },
      })),
    );
    filled += docs.length;
    after = last._id;
  }
}
