import type { EventLog } from '@eventlog/core';
import {
  type ChainEntry,
  type ChainHead,
  type ChainInput,
  type ChainLinker,
  type ChainPosition,
  type ChainRange,
  type ChainStorage,
  type CutRecorder,
  type InsertOptions,
  linkByPartition,
  type RecordedCheckpoint,
} from '@eventlog/core/storage';
import { type ChainedInsertRow, chainedEntries, chainedInsert } from './chained-insert';
import { writeChangedKeys } from './changed-keys';
import { headStatements } from './heads';
import type { LogStatements } from './queries';
import { anyBatched, chainHeadFromRow, fromRow, type SqlRow, toChainedRow } from './row';
import type { SqlAdapter, SqlSession } from './session';

type HeadRow = Record<string, unknown>;

/**
 * The `ChainStorage` of a SQL adapter. Appends serialise per partition on the head row: a write
 * to it comes first (`UPDATE ... SET seq = seq`), which takes PostgreSQL's row lock and SQLite's
 * database write lock before anything is read, so a concurrent writer (in this process or
 * another) waits for the commit and then reads the new head. On MySQL an upsert takes the lock
 * (see `lockHead`). Inside a caller's REPEATABLE READ / SERIALIZABLE transaction on PostgreSQL,
 * such a wait ends in a serialization failure instead: appends need READ COMMITTED (the default).
 * On PostgreSQL an append to one partition that has a head row is a single statement
 * (`chainedInsert`: the lock is `FOR UPDATE` on the head row, the links computed in the database).
 */
export function sqlChainStorage<Tx, S extends SqlSession>(
  adapter: SqlAdapter<Tx, S>,
  log: LogStatements,
): ChainStorage<Tx> {
  const { dialect } = adapter.target;
  const heads = headStatements(adapter.target);

  /**
   * Takes the partition's lock (creating its head row when new) and returns its head.
   *
   * MySQL: one upsert creates the head row or takes its exclusive lock, then a locking read
   * returns it. The update-then-insert of the other dialects deadlocks on InnoDB: under its
   * default REPEATABLE READ, an UPDATE that finds no row locks the gap, and two writers holding
   * that gap both wait for each other's INSERT into it. A locking read also sees the latest
   * commit, where a plain SELECT would read the caller's transaction snapshot.
   */
  async function lockHead(s: S, chain: string): Promise<HeadRow> {
    if (!dialect.returning) {
      await s.execute(heads.create(chain));
      const [row] = await s.query<HeadRow>(heads.read(chain, true));
      return row as HeadRow;
    }
    const [locked] = await s.query<HeadRow>(heads.touch(chain));
    if (locked) return locked;
    await s.execute(heads.create(chain));
    // Another writer may have created it meanwhile: lock whichever row is there now.
    const [created] = await s.query<HeadRow>(heads.touch(chain));
    return created as HeadRow;
  }

  /** Links `entries` after their partitions' heads and writes them, inside `s`'s transaction. */
  async function append(s: S, entries: readonly ChainInput[], link: ChainLinker) {
    const linked = await linkByPartition(
      entries,
      link,
      async (chain) => {
        const head = await lockHead(s, chain);
        return { seq: Number(head.seq), hash: String(head.hash) };
      },
      async (chain, last) => {
        await s.execute(heads.update(chain, { seq: last.seq, hash: last.hash }));
      },
    );
    const batched = anyBatched(linked);
    const rows = linked.map((entry) => toChainedRow(entry, dialect, batched));
    const stored = await adapter.write(s, linked, rows);
    await writeChangedKeys(s, log, dialect, stored);
    return stored;
  }

  return {
    async appendChained(
      entries: readonly ChainInput[],
      link: ChainLinker,
      options?: InsertOptions<Tx>,
    ): Promise<EventLog[]> {
      if (entries.length === 0) return [];
      const session = adapter.session(options?.transaction);
      const chain = (entries[0] as ChainInput).chain;
      if (dialect.kind === 'postgres' && entries.every((e) => e.chain === chain)) {
        // One statement: atomic on its own, so it needs no transaction (nor savepoint) around it.
        const statement = chainedInsert(adapter.target, chain, entries, anyBatched(entries));
        const rows = await session.query<ChainedInsertRow>(statement);
        if (rows.length > 0) return chainedEntries(chain, entries, rows);
        // No head row yet: the first append of a partition creates it, in the general path.
      }
      return session.transaction((s) => append(s, entries, link));
    },

    async readChain(chain: string, range: ChainRange): Promise<ChainEntry[]> {
      const statement = log.chainRange(chain, range.fromSeq, range.toSeq, range.limit);
      const rows = await adapter.root.query<SqlRow>(statement);
      return rows.map((row) => ({ ...fromRow(row), timestampKey: String(row.ts_key) }));
    },

    async readUnchained(after: string | null, limit: number): Promise<EventLog[]> {
      return (await adapter.root.query<SqlRow>(log.unchained(after, limit))).map(fromRow);
    },

    async chainHead(chain: string): Promise<ChainHead | null> {
      const [row] = await adapter.root.query<HeadRow>(heads.read(chain));
      return row ? chainHeadFromRow(row) : null;
    },

    async listChains(): Promise<string[]> {
      // A head row deleted by hand leaves its entries listed.
      const rows = await adapter.root.query<{ chain: string }>(heads.list());
      return rows.map((r) => r.chain);
    },

    async cutChain(chain: string, cut: ChainPosition, record: CutRecorder): Promise<number> {
      // Never inside a caller's transaction: retention is its own unit of work.
      return adapter.root.transaction(async (s) => {
        const head = await lockHead(s, chain);
        if (Number(head.start_seq) >= cut.seq) return 0;
        await s.execute(log.deleteChangedKeysOfChainTo(chain, cut.seq));
        const deleted = await s.execute(log.deleteChainTo(chain, cut.seq));
        await s.execute(heads.update(chain, { start_seq: cut.seq, start_hash: cut.hash }));
        const previous = { seq: Number(head.start_seq), hash: String(head.start_hash) };
        await append(s, [record.entry(previous)], record.link);
        return deleted;
      });
    },

    async recordCheckpoint(chain: string, checkpoint: RecordedCheckpoint): Promise<void> {
      await adapter.root.execute(heads.checkpoint(chain, checkpoint));
    },
  };
}
