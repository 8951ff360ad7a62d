import type { InsertOptions } from './insert-options';
import type { ChainStorage } from './integrity/port';
import type { EventLog, EventLogPage, NewEventLog, StorageQuery } from './schemas';

export type { InsertOptions } from './insert-options';

/**
 * What a storage can do beyond the required members. Core and the conformance suite read these
 * instead of probing at runtime; a test of a missing capability skips and says why.
 */
export interface StorageCapabilities {
  /** `insert` honours `{ transaction }`: the entries commit or roll back with the caller's work. */
  readonly transactions: boolean;
  /**
   * The storage implements `findByEventId`. Optional (absent means false). With it,
   * `EventLogService.log()` is idempotent: a retried call with a stored `eventId` returns the
   * stored entry instead of failing on the unique key, and a call reusing it with other content
   * is a `ConflictError`.
   */
  readonly eventIdLookup?: boolean;
  /**
   * The storage implements every member of `ChainStorage` (hash chain, verification, checkpoints,
   * chain-preserving retention). Optional (absent means false); `EventLogService` refuses
   * `integrity` options without it.
   */
  readonly integrity?: boolean;
}

/** Filter of `EventLogStorage.deleteBefore`. */
export interface DeleteFilter {
  /** Delete only entries of these tools. */
  tool?: string[];
  /**
   * Delete only entries outside every chain (`chain` null). Core sets it when integrity is on:
   * chained entries leave through `cutChain`, never from the middle of a chain.
   */
  unchained?: boolean;
}

/**
 * The storage port: the one interface every adapter implements. The log is append-only, so
 * there is no update; `deleteBefore` (retention) is the only way anything leaves it.
 *
 * The members of `ChainStorage` (tamper evidence) are optional, declared by
 * `capabilities.integrity`; every entry a storage returns carries the chain fields, null when
 * the entry is not chained.
 *
 * Adapters throw whatever their driver throws, or a `ValidationError` for a malformed cursor;
 * `EventLogService` wraps every other failure into a `StorageError` naming the adapter.
 *
 * @typeParam Tx - the transaction handle `insert` accepts.
 */
export interface EventLogStorage<Tx = unknown> extends Partial<ChainStorage<Tx>> {
  /** Short adapter name used in errors, e.g. `"knex"`. */
  readonly name: string;
  readonly capabilities: StorageCapabilities;

  /**
   * Appends the entries in one round trip (inside `options.transaction` when given) and returns
   * them as stored, in input order, with their ids. An empty array returns `[]` without I/O.
   * Throws when any entry cannot be written; then none is written. An `eventId` that is already
   * stored makes the whole call throw (unique constraint).
   *
   * `values`, `changes` and `metadata` must be JSON values (plain objects, arrays, strings,
   * finite numbers, booleans, null), as `EventLogService` builds them: an adapter may return
   * those very objects in the stored entries instead of re-reading them, since they equal what a
   * later read gives. They are not the application's objects: core's encoder copies every
   * payload once while it checks and masks it, so an entry returned this way shares nothing with
   * the `log()` input, and the application changing its objects afterwards changes neither the
   * returned entry nor what was stored. (They are not frozen: the caller owns the returned entry.)
   *
   * A large batch may take a bulk path (PostgreSQL's COPY in `@eventlog/adapter-knex`) as long
   * as everything above holds for it too: ids in input order, the changed-keys index, every
   * unique constraint, all or nothing.
   */
  insert(entries: readonly NewEventLog[], options?: InsertOptions<Tx>): Promise<EventLog[]>;

  /**
   * Returns the entries matching every filter of `query`, ordered by `(timestamp, id)` in
   * `query.order`, at most `query.limit` of them, starting after `query.cursor` (keyset) or
   * skipping `query.offset` rows. `nextCursor` is null when no entry follows the page. `count` and
   * `countExact` (all matches, ignoring cursor, offset and limit) are present only when
   * `query.withCount`: count at most `countLimitOf(query)` matches (every one for `'exact'`) and
   * build both with `pageCount`, so a `withCount: true` count stays cheap on any table.
   * Nothing matching gives `{ results: [], nextCursor: null }`. A cursor this adapter did not
   * issue throws a `ValidationError` on `cursor`.
   */
  find(query: StorageQuery): Promise<EventLogPage>;

  /**
   * Returns the entry with this id, or `null` when there is none (including ids of a foreign
   * shape). Reads inside `options.transaction` when given (a capture's revert reads the entry on
   * the connection its transaction holds); an adapter may ignore it where reads never wait.
   */
  get(id: string, options?: InsertOptions<Tx>): Promise<EventLog | null>;

  /**
   * Deletes entries with `timestamp < cutoff` (and of `filter.tool` when given); returns how many.
   * Zero when nothing matches.
   */
  deleteBefore(cutoff: Date, filter?: DeleteFilter): Promise<number>;

  /**
   * Optional, declared by `capabilities.eventIdLookup`. Returns the entry stored with this
   * `eventId` (seeing the uncommitted writes of `options.transaction` when given), or `null`
   * when there is none.
   */
  findByEventId?(eventId: string, options?: InsertOptions<Tx>): Promise<EventLog | null>;
}

/** The transaction type a storage accepts. */
export type TransactionOf<S> = S extends EventLogStorage<infer Tx> ? Tx : never;
