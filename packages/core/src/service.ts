import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CaptureError } from './capture/capture-error';
import { type RevertPatch, revertPatchOf } from './capture/revert-patch';
import { checkCountLimit } from './count';
import { createDiffSchema } from './diff/index';
import { ConflictError, EventLogError, StorageError, ValidationError } from './errors';
import type { ObjectState } from './history/fold';
import type { StateAtOptions } from './history/object-history';
import * as history from './history/object-history';
import {
  type Checkpoint,
  type CheckpointOptions,
  chainInput,
  type IntegrityStatus,
  linkEntries,
  type VerifyOptions,
  type VerifyResult,
} from './integrity/index';
import * as integrity from './integrity/service-operations';
import { callerGiven, type PrepareSettings, prepareEntry, settingsFrom } from './prepare-entry';
import { checkResolvedObject } from './refs';
import { differingFields } from './retry-match';
import {
  type Changes,
  type EventLog,
  type EventLogPage,
  type EventLogQuery,
  eventLogQuerySchema,
  type LogInput,
  type NewEventLog,
} from './schemas';
import {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_PAYLOAD_BYTES,
  type EventLogServiceOptions,
} from './service-options';
import type { EventLogStorage } from './storage';
import { parseOrThrow } from './validate';

const batchIdSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !s.includes('\u0000'));

/** The issue-path prefix of a single input: none (its index would only add noise). */
const NO_PREFIX: (string | number)[] = [];

/** Options of `log()` and `logMany()`. */
export interface LogOptions<Tx> {
  /** The caller's open transaction: the entries commit or roll back with the business change. */
  transaction?: Tx;
}

/** Options of `logMany()`. */
export interface LogManyOptions<Tx> extends LogOptions<Tx> {
  /**
   * Stores the entries as one batch (`EventLog.batchId`), listed by `list({ batchId })`: the
   * given id (1 to 255 characters), or `true` for a generated UUID.
   */
  batchId?: string | true;
}

/**
 * The entry point of eventlog: validates, renders and stores audit entries through one storage
 * adapter, and reads them back. Every storage failure reaches the caller as a `StorageError`
 * naming the adapter, with the driver's error as `cause`; a `ValidationError` raised by the
 * adapter (a forged cursor) passes through unchanged.
 *
 * @typeParam Tx - the transaction handle of the storage (knex `Transaction`, Mongo `ClientSession`...).
 */
export class EventLogService<Tx = unknown> {
  /** `createDiffSchema(old, new, options)`: the changed keys as `{ oldValue, newValue }`. */
  static createDiffSchema: typeof createDiffSchema = createDiffSchema;

  /** `createDiffSchema` with this service's redaction settings as the default. */
  readonly createDiffSchema: typeof createDiffSchema;
  readonly storage: EventLogStorage<Tx>;
  readonly #settings: PrepareSettings;
  /** Set when `options.integrity` turned the hash chain on. */
  readonly #chain: integrity.ServiceChain<Tx> | null;
  /** What the history and integrity operations this service delegates to read. */
  readonly #context: integrity.IntegrityContext<Tx>;
  /** `options.countLimit`: where `list({ withCount: true })` stops counting. */
  readonly #countLimit: number | undefined;

  constructor(storage: EventLogStorage<Tx>, options: EventLogServiceOptions = {}) {
    this.storage = storage;
    this.#countLimit = checkCountLimit(options.countLimit);
    this.#settings = settingsFrom(options, {
      maxPayloadBytes: options.limits?.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      maxDepth: options.limits?.maxDepth ?? DEFAULT_MAX_DEPTH,
    });
    this.#chain = integrity.serviceChainOf(storage, options.integrity);
    this.#context = {
      storage,
      clock: this.#settings.clock,
      chain: this.#chain,
      call: (operation, fn) => this.#call(operation, fn),
    };
    const redactDefault = options.redact === undefined ? true : options.redact;
    this.createDiffSchema = (oldData, newData, diffOptions) =>
      createDiffSchema(oldData, newData, { redact: redactDefault, ...diffOptions });
  }

  /**
   * Validates `input`, renders its template and stores one entry (inside `options.transaction`
   * when given). Stored is exactly what was given, or nothing: text that cannot be stored
   * exactly (U+0000, a lone UTF-16 surrogate), a timestamp outside `TIMESTAMP_RANGE`, and a
   * payload, message or template over `limits.maxPayloadBytes` are a `ValidationError`, and so
   * is tool `eventlog`: it is reserved to the records eventlog writes itself (see `CUT_TOOL`).
   *
   * With an `eventId` that is already stored (and a storage declaring `eventIdLookup`), a call
   * that repeats the stored entry's content returns the stored entry and writes nothing, so
   * retries are safe; one with other content is a `ConflictError`. The content compared is what
   * the caller gave, not what core filled in (the clock's timestamp, the request context's actor
   * and metadata): see `differingFields` for the exact rule.
   *
   * @throws ValidationError naming the field, TemplateError, ConflictError, or StorageError.
   */
  async log(input: LogInput, options: LogOptions<Tx> = {}): Promise<EventLog> {
    const [entry] = await this.logMany([input], options);
    // logMany returns one entry per input.
    return entry as EventLog;
  }

  /**
   * Like `log()` for many inputs, stored in ONE `storage.insert` call (one round trip), all or
   * none; returns the entries in input order. Validation issues are prefixed with the index. The
   * same `eventId` twice in one batch is stored once (both positions get the entry) when the
   * second repeats the first, and a `ConflictError` for the whole batch otherwise. With
   * `options.batchId` every entry carries that batch id (a generated one for `true`).
   */
  async logMany(
    inputs: readonly LogInput[],
    options: LogManyOptions<Tx> = {},
  ): Promise<EventLog[]> {
    if (!Array.isArray(inputs)) {
      throw new ValidationError('logMany() takes an array of inputs', [
        { path: [], message: 'must be an array' },
      ]);
    }
    const batchId = batchIdOf(options.batchId);
    // Plain loops, no per-call closures: this runs once per log() and is measured against a raw
    // insert (bench/knex), where every allocation on the way shows.
    const settings = this.#settings;
    const entries: NewEventLog[] = new Array(inputs.length);
    let withEventId = false;
    for (let i = 0; i < inputs.length; i++) {
      const entry = prepareEntry(
        inputs[i] as LogInput,
        settings,
        inputs.length === 1 ? NO_PREFIX : [i],
      );
      if (entry.eventId !== null) withEventId = true;
      entry.batchId = batchId;
      entries[i] = entry;
    }
    if (entries.length === 0) return [];
    const tx = options.transaction;
    // Most calls carry no eventId: no lookup, no dedup, and storage's answer (one entry per
    // input, in input order) is the result. A failure can only be the insert's own then.
    if (!withEventId) {
      try {
        return await this.#append(entries, tx);
      } catch (error) {
        throw this.#wrap('insert', error);
      }
    }
    return this.#logWithEventIds(entries, tx);
  }

  /** `logMany` when some entries carry an eventId: idempotent writes, retried after a race. */
  async #logWithEventIds(entries: NewEventLog[], tx: Tx | undefined): Promise<EventLog[]> {
    // The first input of each eventId is written; a later one in the batch must be a retry of it.
    const first = new Map<string, NewEventLog>();
    const toInsert: NewEventLog[] = [];
    for (const entry of entries) {
      if (entry.eventId !== null) {
        const earlier = first.get(entry.eventId);
        if (earlier !== undefined) {
          assertRetry(earlier, entry);
          continue;
        }
        first.set(entry.eventId, entry);
      }
      toInsert.push(entry);
    }
    const existing = await this.#lookupEventIds(toInsert, tx);
    assertRetries(existing, entries);
    let pending = toInsert.filter((e) => e.eventId === null || !existing.has(e.eventId));

    let inserted: EventLog[] = [];
    if (pending.length > 0) {
      try {
        inserted = await this.#append(pending, tx);
      } catch (error) {
        // A concurrent writer may have stored the same eventId between lookup and insert.
        const raced = await this.#lookupEventIds(pending, tx).catch(() => new Map());
        if (raced.size === 0) throw this.#wrap('insert', error);
        assertRetries(raced, entries);
        for (const [k, v] of raced) existing.set(k, v);
        pending = pending.filter((e) => e.eventId === null || !existing.has(e.eventId));
        inserted =
          pending.length === 0 ? [] : await this.#call('insert', () => this.#append(pending, tx));
      }
    }
    const byEventId = new Map(existing);
    for (const e of inserted) if (e.eventId !== null) byEventId.set(e.eventId, e);
    // Storage returns entries in input order, so the ones without an eventId line up.
    let next = 0;
    const fresh = inserted.filter((e) => e.eventId === null);
    return entries.map((entry) => {
      if (entry.eventId !== null) return byEventId.get(entry.eventId) as EventLog;
      return fresh[next++] as EventLog;
    });
  }

  /**
   * One page of entries matching `query`, newest first unless `order: 'asc'`. With
   * `withCount: true`, `count` is exact up to `countLimit` matches and a lower bound beyond
   * (`countExact: false`); `withCount: 'exact'` counts every match.
   */
  async list(query: EventLogQuery = {}): Promise<EventLogPage> {
    const countLimit = query.countLimit ?? this.#countLimit;
    const parsed = parseOrThrow(eventLogQuerySchema, { ...query, countLimit }, 'query');
    return this.#call('find', () => this.storage.find(parsed));
  }

  /** The log of one object (an ORM instance, a class instance or `{ type, id }`). */
  async listForObject(
    object: unknown,
    query: Omit<EventLogQuery, 'objectType' | 'objectId'> = {},
  ): Promise<EventLogPage> {
    const ref = this.#objectRef(object);
    return this.list({ ...query, objectType: ref.type, objectId: ref.id });
  }

  #objectRef(object: unknown): { type: string; id: string } {
    const ref = checkResolvedObject(this.#settings.resolveObject(object));
    if (ref === null) throw ValidationError.field('object', 'is required');
    return ref;
  }

  /**
   * The state of one object (an ORM instance, a class instance or `{ type, id }`) at `at`
   * (default now), folded from its entries in `(timestamp, id)` order: entries at exactly `at`
   * count. With `options.entry` instead of `at`, the state right after that entry of the object:
   * entries sharing its timestamp but ordered after it are left out. A snapshot entry
   * (`metadata.snapshot === true`) sets the whole state, a `delete` makes it null, other entries
   * apply their `changes` (top-level or deep diffs alike). The entries are read in one indexed
   * pass (a query per 1,000 entries), never one per entry. See `ObjectState` for `complete`. An
   * object without entries gives `state: null, entryId: null`.
   *
   * @throws ValidationError on `object`, `at` or `entry` (not an entry of this object, or given
   * with `at`), StorageError.
   */
  async stateAt(object: unknown, at?: Date, options: StateAtOptions = {}): Promise<ObjectState> {
    return history.stateAt(this.#context, this.#objectRef(object), at, options);
  }

  /**
   * What changed in one object between its states at `from` and at `to` (see `stateAt`), as
   * `{ oldValue, newValue }` of the changed top-level keys: the shape of a stored diff. A state
   * that is null (before creation, after a delete) counts as `{}`. Both states come from one
   * read of the object's entries.
   *
   * @throws ValidationError on `object`, `from` or `to`, StorageError.
   */
  async changesBetween(object: unknown, from: Date, to: Date): Promise<Changes> {
    return history.changesBetween(this.#context, this.#objectRef(object), from, to);
  }

  /** The entry with this id, or `null`. */
  async get(id: string): Promise<EventLog | null> {
    if (typeof id !== 'string' || id.length === 0 || id.length > 255) {
      throw ValidationError.field('id', 'must be a non-empty string');
    }
    return this.#call('get', () => this.storage.get(id));
  }

  /**
   * What reverting the captured entry `entryId` does to its object (see `RevertPatch`): the
   * operation and the inverse changes, read from the entry alone (inside `options.transaction`
   * when given). A capture's `revert()` applies
   * it through its own write path, so the revert is logged too.
   *
   * @throws CaptureError with reason `'not-found'` (no such entry) or `'not-revertible'` (no
   * object or changes, or a create/delete stored without a snapshot); StorageError.
   */
  async revertPatch(entryId: string, options: LogOptions<Tx> = {}): Promise<RevertPatch> {
    if (typeof entryId !== 'string' || entryId.length === 0 || entryId.length > 255) {
      throw ValidationError.field('entryId', 'must be a non-empty string');
    }
    const tx = options.transaction;
    const entry = await this.#call('get', () => this.storage.get(entryId, { transaction: tx }));
    if (entry === null) throw new CaptureError('not-found', `no entry has the id ${entryId}`);
    return revertPatchOf(entry, this.#settings.redact);
  }

  /**
   * Retention: deletes entries older than `before` (of `tool` only, when given); returns how many.
   * With integrity on, chained entries go only as a prefix of their chain, whose end is recorded
   * as the chain's new start so it stays verifiable (see `purgeChains`); a tampered prefix throws
   * `IntegrityError` and is kept.
   */
  async purge(options: { before: Date; tool?: string | string[] }): Promise<number> {
    return integrity.purge(this.#context, options);
  }

  /**
   * Verifies the log (integrity on): every partition, or only `options.partition` (or the
   * checkpoint's); recomputes every hash and link from each start (or `from`) to each head (or
   * `to`), page by page, and reports rows stored with no chain whose partition (by this service's
   * partition function) is chained. Returns `{ ok, partition, checked, firstBroken?, partitions }`;
   * a broken chain, or a partition that does not exist, is a result (`ok: false`), not an
   * exception. See `verifyChain`.
   *
   * @throws ConfigurationError without integrity, ValidationError, StorageError.
   */
  async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    return integrity.verify(this.#context, options);
  }

  /**
   * Records and returns the head of a chain as a checkpoint `{ partition, seq, hash, start, at }`,
   * signed with Ed25519 when `privateKey` is given. Keep it outside the database. Without
   * `partition`, the single chain of `integrity.partition: 'default'`.
   *
   * @throws ValidationError on `partition` when the log is partitioned and none is given, or when
   * the partition has no head row (nothing to sign).
   */
  async checkpoint(options: CheckpointOptions = {}): Promise<Checkpoint> {
    return integrity.checkpoint(this.#context, options);
  }

  /**
   * The integrity status of every partition (integrity on), cheap enough to show on a page: its
   * latest recorded checkpoint (seq, time) and its chain verified from that checkpoint to the
   * head (from the start when it has none). A broken chain is a result (`ok: false`), not an
   * exception. Only `verify()` reads the whole chain, and rows stored outside it.
   *
   * @throws ConfigurationError without integrity, StorageError.
   */
  async integrityStatus(): Promise<IntegrityStatus> {
    return integrity.status(this.#context);
  }

  /** The names of every chain (partition) stored: those with a head row or chained entries. */
  async partitions(): Promise<string[]> {
    return integrity.partitions(this.#context);
  }

  /** Plain insert, or an append to each entry's chain when integrity is on. */
  #append(entries: NewEventLog[], tx: Tx | undefined): Promise<EventLog[]> {
    if (this.#chain === null) return this.storage.insert(entries, { transaction: tx });
    const { storage, partitionOf } = this.#chain;
    // Content hashes are computed here, before the storage takes any partition's lock.
    const inputs = entries.map((e) => chainInput(e, partitionOf(e)));
    return storage.appendChained(inputs, linkEntries, { transaction: tx });
  }

  async #lookupEventIds(entries: readonly NewEventLog[], tx: Tx | undefined) {
    const found = new Map<string, EventLog>();
    const lookup = this.storage.findByEventId;
    if (!this.storage.capabilities.eventIdLookup || typeof lookup !== 'function') return found;
    const ids = [...new Set(entries.flatMap((e) => (e.eventId === null ? [] : [e.eventId])))];
    for (const eventId of ids) {
      const hit = await this.#call('findByEventId', () =>
        lookup.call(this.storage, eventId, { transaction: tx }),
      );
      if (hit) found.set(eventId, hit);
    }
    return found;
  }

  async #call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.#wrap(operation, error);
    }
  }

  #wrap(operation: string, error: unknown): EventLogError {
    if (error instanceof EventLogError) return error;
    return new StorageError(this.storage.name, operation, error);
  }
}

/** The batch id `logMany` stores: null without one, a fresh UUID for `true`. */
function batchIdOf(option: string | true | undefined): string | null {
  if (option === undefined) return null;
  if (option === true) return randomUUID();
  const parsed = batchIdSchema.safeParse(option);
  if (!parsed.success) {
    throw ValidationError.field(
      'batchId',
      'must be true or a string of 1 to 255 characters without U+0000',
    );
  }
  return parsed.data;
}

/** Throws `ConflictError` unless `entry` repeats what `earlier` (same eventId) said. */
function assertRetry(earlier: NewEventLog, entry: NewEventLog): void {
  const fields = differingFields(earlier, entry, callerGiven.get(entry));
  if (fields.length > 0) throw new ConflictError(entry.eventId as string, fields);
}

/** Checks every input against the stored entry of its eventId, before anything is written. */
function assertRetries(stored: ReadonlyMap<string, EventLog>, entries: readonly NewEventLog[]) {
  if (stored.size === 0) return;
  for (const entry of entries) {
    const hit = entry.eventId === null ? undefined : stored.get(entry.eventId);
    if (hit !== undefined) assertRetry(hit, entry);
  }
}
