import type { EventLog } from '@eventlog/core';
import type { EventLogStorage, StorageCapabilities } from '@eventlog/core/storage';

/** One fresh, empty storage for one test, plus the raw hooks the suite checks it with. */
export interface StorageHarness<Tx = unknown> {
  storage: EventLogStorage<Tx>;
  /**
   * Reads the entry as really stored, bypassing the adapter's own read path (raw SQL, the raw
   * driver collection), mapped to an `EventLog` by the test's own code; null when absent.
   */
  readRaw(id: string): Promise<EventLog | null>;
  /**
   * Runs `fn` inside a backend transaction: commits when it resolves, rolls back when it throws
   * (rethrowing). Absent when `storage.capabilities.transactions` is false.
   */
  withTransaction?<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` with a handle the storage accepts as `{ transaction }` that does NOT open a
   * transaction (a MongoDB `ClientSession` outside a transaction), and ends it afterwards. Absent
   * when the backend has no such handle; the suite then skips the tests that need it.
   */
  withSession?<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Raw writes that bypass the adapter, for the tamper suite (`runIntegrityConformance`). Absent
   * when the adapter does not declare `capabilities.integrity`.
   */
  tamper?: TamperHooks;
  /**
   * Inserts a row as another tool would, bypassing the adapter: `timestamp` is an ISO-8601
   * literal with microseconds (`2024-03-01T10:00:00.000002Z`) that the database converts to its
   * column type; the other fields are null. Absent when the backend keeps no finer than
   * milliseconds; the suite then skips the microsecond tests.
   */
  writeRaw?(row: {
    timestamp: string;
    message: string;
    tool: string;
    action: string;
  }): Promise<void>;
  /**
   * Why concurrent writes through this storage fail here, when they do (Sequelize's SQLite
   * dialect opens a connection per transaction with no busy timeout: SQLITE_BUSY). The
   * concurrency tests skip with this reason.
   */
  noConcurrentWrites?: string;
  /**
   * The most entries the adapter writes in one statement on this backend, when it splits a large
   * batch into several (SQL placeholder limits). The suite writes past it to check that a batch
   * stays all or nothing. Absent: the adapter does not split.
   */
  insertChunk?: number;
  /**
   * The smallest batch the storage writes through a bulk path instead of INSERT statements
   * (PostgreSQL's COPY), when it has one. The suite writes batches of that size and checks they
   * are stored as any other insert. Absent: no bulk path; the suite writes a few hundred entries.
   */
  bulkFrom?: number;
  /**
   * Ends the database session behind `transaction` from another connection, as an operator or a
   * failover would (`pg_terminate_backend` on PostgreSQL). Absent where the backend has no such
   * session (SQLite, an in-process store): the test that needs it skips saying so.
   */
  killConnection?(transaction: Tx): Promise<void>;
  /**
   * The keys the backend's changed-key index holds for entry `id`, read raw (the rows of a
   * changed-keys side table, a document's indexed field), sorted; [] when it holds none, also
   * for an entry that is gone. Absent when the storage keeps no such index (it filters `changes`
   * itself): the tests that look at the index skip.
   */
  readChangedKeys?(id: string): Promise<string[]>;
  /**
   * Makes the backend refuse to index `key` from now on: writing a changed-keys row for it fails,
   * as a constraint the adapter does not know about would (`refuseChangedKeySql` from
   * `@eventlog/conformance/sql` for the SQL adapters), so the suite can fail a write half-way.
   * Absent when the changed keys are not a write of their own (they live in the entry's
   * document): the test that needs it skips.
   */
  refuseChangedKey?(key: string): Promise<void>;
  /**
   * The adapter's upgrade to changed-key indexing, run on the harness's storage: `down` takes
   * the stored entries back to what a version before it left (no changed-key index, no batch
   * ids), `up` runs what the adapter ships for that upgrade (its migration, its backfill).
   * Absent when the storage keeps no such index: the backfill test skips.
   */
  historyMigration?: { down(): Promise<void>; up(): Promise<void> };
  /** Releases what `create` opened (drops the table or collection, closes connections). */
  close(): Promise<void>;
}

/** What an attacker with write access to the database does, done with raw SQL / driver calls. */
export interface TamperHooks {
  /**
   * Overwrites one stored field of the entry `id` (camelCase name as in `EventLog`; `value` as
   * the entry holds it: a string, a number, an object for `changes`...).
   */
  updateRaw(id: string, field: keyof EventLog, value: unknown): Promise<void>;
  /** Deletes the entry `id`. */
  deleteRaw(id: string): Promise<void>;
  /** Exchanges the chain positions (`seq`) of two entries: the log now tells them in the other order. */
  swapRaw(idA: string, idB: string): Promise<void>;
  /** Rewrites partition `chain`'s head row to `(seq, hash)`, as an attacker hiding a deleted tail would. */
  rewindHead(chain: string, seq: number, hash: string): Promise<void>;
  /** Deletes partition `chain`'s head row (its entries stay). */
  deleteHead(chain: string): Promise<void>;
  /** Rewrites partition `chain`'s start (`start_seq`, `start_hash`), as an attacker hiding a deleted prefix would. */
  moveStart(chain: string, seq: number, hash: string): Promise<void>;
  /**
   * Inserts a row as given, chain fields included (null ones too), bypassing the adapter and its
   * checks; may throw what the database throws (a unique index refusing a duplicate). Returns its id.
   */
  insertRaw(entry: Omit<EventLog, 'id'>): Promise<string>;
  /**
   * Stores `text` (an ISO-8601 timestamp) as the timestamp of entry `id`, as a client writing that
   * literal would: SQL converts it to the column's type, a document store keeps the string.
   */
  retimeRaw(id: string, text: string): Promise<void>;
}

/** What an adapter's test file passes to `runStorageConformance`. */
export interface StorageConformanceOptions<Tx = unknown> {
  /** Suite title, e.g. `"knex (PostgreSQL)"`. */
  name: string;
  /** Builds a fresh, empty storage; called once per test. */
  create(): Promise<StorageHarness<Tx>>;
  /**
   * A storage whose backend is unreachable or closed, for the `StorageError` tests. Called once
   * per test that needs it; the suite never closes it.
   */
  broken?(): Promise<EventLogStorage<Tx>>;
  /**
   * The capabilities the storage must declare, pinned by the suite: a capability dropped by
   * mistake fails here instead of quietly turning the tests that need it into skips.
   */
  capabilities?: StorageCapabilities;
  /**
   * Set when the database could not be started: the suite skips with this reason on a
   * developer's machine, and fails under CI (`isCI()`).
   */
  unavailable?: string | undefined;
}
