import {
  type DeleteFilter,
  decodeCursor,
  type StorageQuery,
  ValidationError,
} from '@eventlog/core';
import { type QueryFilter, Types } from 'mongoose';
import type { EventLogDocument } from './schema';

type Filter = QueryFilter<EventLogDocument>;

const OBJECT_ID = /^[0-9a-f]{24}$/i;
const EPOCH_MS = /^-?\d{1,16}$/;

/** True when `id` is the hex form of an ObjectId, the only ids this adapter issues. */
export function isObjectIdHex(id: unknown): id is string {
  return typeof id === 'string' && OBJECT_ID.test(id);
}

/**
 * The filter of `find` without its keyset condition (so `count` can reuse it). Every value is
 * checked to be a scalar here, not only by core's zod schema, because the adapter can be called
 * directly: an object such as `{ $ne: null }` must never reach MongoDB as an operator.
 */
export function buildFilter(query: StorageQuery): Filter {
  const filter: Filter = {};
  if (query.tool !== undefined) filter.tool = { $in: stringList('tool', query.tool) };
  if (query.action !== undefined) filter.action = { $in: stringList('action', query.action) };
  if (query.actorId !== undefined) filter.actorId = { $eq: scalar('actorId', query.actorId) };
  if (query.objectType !== undefined) {
    filter.objectType = { $eq: scalar('objectType', query.objectType) };
  }
  if (query.objectId !== undefined) filter.objectId = { $eq: scalar('objectId', query.objectId) };
  if (query.batchId !== undefined) filter.batchId = { $eq: scalar('batchId', query.batchId) };
  if (query.changedKey !== undefined) {
    filter.changedKeys = { $in: stringList('changedKey', query.changedKey) };
  }
  if (query.from !== undefined || query.to !== undefined) {
    const range: { $gte?: Date; $lt?: Date } = {};
    if (query.from !== undefined) range.$gte = date('from', query.from);
    if (query.to !== undefined) range.$lt = date('to', query.to);
    filter.timestamp = range;
  }
  if (query.search !== undefined) {
    filter.message = { $regex: escapeRegex(scalar('search', query.search)), $options: 'i' };
  }
  return filter;
}

/** The filter of `deleteBefore`, with the same scalar guard as `buildFilter`. */
export function buildDeleteFilter(cutoff: Date, filter?: DeleteFilter): Filter {
  const result: Filter = { timestamp: { $lt: date('cutoff', cutoff) } };
  if (filter?.tool !== undefined) result.tool = { $in: stringList('tool', filter.tool) };
  // Chained entries leave only through cutChain, never from the middle of a chain; `null`
  // also matches documents written before the chain fields existed.
  if (filter?.unchained) result.chain = { $eq: null };
  return result;
}

/**
 * The keyset condition "after this cursor" in the query's order. The `$or` form is what MongoDB
 * plans as index bounds on `(timestamp, _id)`, unlike the same shape in SQL.
 */
export function keysetCondition(cursor: string, order: 'asc' | 'desc'): Filter {
  if (typeof cursor !== 'string') throw ValidationError.field('cursor', 'must be a string');
  const [ms, id] = decodeCursor(cursor, order, 2);
  if (ms === undefined || id === undefined || !EPOCH_MS.test(ms) || !isObjectIdHex(id)) {
    throw ValidationError.field('cursor', 'is not a cursor returned by this API');
  }
  const timestamp = new Date(Number(ms));
  if (Number.isNaN(timestamp.getTime())) {
    throw ValidationError.field('cursor', 'is not a cursor returned by this API');
  }
  const op = order === 'desc' ? '$lt' : '$gt';
  return {
    $or: [
      { timestamp: { [op]: timestamp } },
      { timestamp: { $eq: timestamp }, _id: { [op]: new Types.ObjectId(id) } },
    ],
  };
}

/** The key `keysetCondition` reads back: the stored millisecond timestamp and the id. */
export function cursorKey(timestamp: Date, id: string): string[] {
  return [String(timestamp.getTime()), id];
}

/** Escapes every regex metacharacter, so `search` is matched as literal text. */
export function escapeRegex(text: string): string {
  // Every metacharacter is ASCII punctuation, and a backslash before punctuation is a literal in
  // every regex dialect MongoDB servers use. NUL is spelled out: MongoDB refuses patterns with an
  // embedded null byte.
  return text.replace(/[\0!-/:-@[-`{-~]/g, (c) => (c === '\0' ? '\\x00' : `\\${c}`));
}

function scalar(field: string, value: unknown): string {
  if (typeof value !== 'string') throw ValidationError.field(field, 'must be a string');
  return value;
}

function stringList(field: string, value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw ValidationError.field(field, 'must not be empty');
  return list.map((item, i) => {
    if (typeof item !== 'string') throw ValidationError.field([field, i], 'must be a string');
    return item;
  });
}

function date(field: string, value: unknown): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw ValidationError.field(field, 'must be a valid Date');
  }
  return value;
}
