import {
  type ChainEntry,
  type ChainHead,
  type ChainInput,
  type ChainLinker,
  type ChainPosition,
  type ChainRange,
  type ChainStorage,
  type CutRecorder,
  chainHeadFromRow,
  type EventLog,
  GENESIS_HASH,
  type InsertOptions,
  linkByPartition,
  type RecordedCheckpoint,
  type SqlChainHeadRow,
} from '@eventlog/core';
import type { Knex } from 'knex';
import type { Dialect } from './dialect';
import type { ChunkWriter } from './insert-chunk';
import { type EventLogRow, fromRow, toChainedRow } from './row';
import { chainHeadsTableName } from './schema';

/**
 * The `ChainStorage` members of the knex storage. Appends serialise per partition on the head
 * row: a write to it comes first (`UPDATE ... SET seq = seq`), which takes PostgreSQL's row lock
 * and SQLite's database write lock before anything is read, so a concurrent writer (in this
 * process or another) waits for the commit and then reads the new head (MySQL: an upsert, see
 * `lockHeadMysql`). Inside a caller's
 * REPEATABLE READ / SERIALIZABLE transaction on PostgreSQL, such a wait ends in a serialization
 * failure instead: appends need READ COMMITTED (the default).
 */
export function knexChainStorage(
  knex: Knex,
  table: string,
  dialect: Dialect,
  selectRow: (db: Knex) => Knex.QueryBuilder,
  writeChunk: ChunkWriter,
): ChainStorage<Knex.Transaction> {
  const heads = chainHeadsTableName(table);

  const genesis = (chain: string) => ({
    chain,
    seq: 0,
    hash: GENESIS_HASH,
    start_seq: 0,
    start_hash: GENESIS_HASH,
  });

  /**
   * MySQL: one upsert creates the head row or takes its exclusive lock, then a locking read
   * returns it. The update-then-insert of the other dialects deadlocks on InnoDB: under its
   * default REPEATABLE READ, an UPDATE that finds no row locks the gap, and two writers holding
   * that gap both wait for each other's INSERT into it. A locking read also sees the latest
   * commit, where a plain SELECT would read the caller's transaction snapshot.
   */
  async function lockHeadMysql(trx: Knex.Transaction, chain: string): Promise<SqlChainHeadRow> {
    await trx(heads)
      .insert(genesis(chain))
      .onConflict('chain')
      .merge({ seq: trx.ref('seq') });
    return (await trx(heads).where('chain', chain).forUpdate().first()) as SqlChainHeadRow;
  }

  /** Takes the partition's lock (creating its head row when new) and returns its head. */
  async function lockHead(trx: Knex.Transaction, chain: string): Promise<SqlChainHeadRow> {
    if (dialect.kind === 'mysql') return lockHeadMysql(trx, chain);
    // Where RETURNING exists the locking write also reads the head: one round trip less.
    const lock = () => {
      const update = trx(heads)
        .where('chain', chain)
        .update({ seq: trx.ref('seq') });
      return dialect.returning ? update.returning('*') : update;
    };
    const touched = (await lock()) as unknown as SqlChainHeadRow[] | number;
    if (Array.isArray(touched) && touched[0]) return touched[0];
    if (typeof touched === 'number' && touched > 0) {
      return (await trx(heads).where('chain', chain).first()) as SqlChainHeadRow;
    }
    await trx(heads).insert(genesis(chain)).onConflict('chain').ignore();
    // Another writer may have created it meanwhile: lock whichever row is there now.
    await lock();
    return (await trx(heads).where('chain', chain).first()) as SqlChainHeadRow;
  }

  /** Links `entries` after their partitions' heads and writes them, inside `trx`. */
  async function append(
    trx: Knex.Transaction,
    entries: readonly ChainInput[],
    link: ChainLinker,
  ): Promise<EventLog[]> {
    const linked = await linkByPartition(
      entries,
      link,
      async (chain) => {
        const head = await lockHead(trx, chain);
        return { seq: Number(head.seq), hash: head.hash };
      },
      async (chain, last) => {
        await trx(heads).where('chain', chain).update({ seq: last.seq, hash: last.hash });
      },
    );
    const rows = linked.map((entry) => toChainedRow(entry, dialect));
    const stored: EventLog[] = [];
    for (let i = 0; i < rows.length; i += dialect.chunkSize) {
      const end = i + dialect.chunkSize;
      stored.push(...(await writeChunk(trx, linked.slice(i, end), rows.slice(i, end))));
    }
    return stored;
  }

  return {
    async appendChained(
      entries: readonly ChainInput[],
      link: ChainLinker,
      options?: InsertOptions<Knex.Transaction>,
    ): Promise<EventLog[]> {
      if (entries.length === 0) return [];
      const db = options?.transaction ?? knex;
      return db.transaction((trx) => append(trx, entries, link));
    },

    async readChain(chain: string, range: ChainRange): Promise<ChainEntry[]> {
      const q = selectRow(knex).where('chain', chain).andWhere('seq', '>=', range.fromSeq);
      if (range.toSeq !== undefined) q.andWhere('seq', '<=', range.toSeq);
      const rows = (await q.orderBy('seq').limit(range.limit)) as EventLogRow[];
      return rows.map((row) => ({ ...fromRow(row), timestampKey: String(row.ts_key) }));
    },

    async readUnchained(after: string | null, limit: number): Promise<EventLog[]> {
      const q = selectRow(knex).whereNull('chain');
      if (after !== null) q.andWhere('id', '>', after);
      const rows = (await q.orderBy('id').limit(limit)) as EventLogRow[];
      return rows.map(fromRow);
    },

    async chainHead(chain: string): Promise<ChainHead | null> {
      const row = (await knex(heads).where('chain', chain).first()) as SqlChainHeadRow | undefined;
      return row ? chainHeadFromRow(row) : null;
    },

    async listChains(): Promise<string[]> {
      // UNION removes duplicates; a head row deleted by hand leaves its entries listed.
      const rows = (await knex(heads)
        .select('chain')
        .union((q) => q.select('chain').from(table).whereNotNull('chain'))
        .orderBy('chain')) as { chain: string }[];
      return rows.map((r) => r.chain);
    },

    async cutChain(chain: string, cut: ChainPosition, record: CutRecorder): Promise<number> {
      return knex.transaction(async (trx) => {
        const head = await lockHead(trx, chain);
        if (Number(head.start_seq) >= cut.seq) return 0;
        const deleted = await trx(table).where('chain', chain).andWhere('seq', '<=', cut.seq).del();
        await trx(heads).where('chain', chain).update({ start_seq: cut.seq, start_hash: cut.hash });
        const previous = { seq: Number(head.start_seq), hash: head.start_hash };
        await append(trx, [record.entry(previous)], record.link);
        return Number(deleted);
      });
    },

    async recordCheckpoint(chain: string, checkpoint: RecordedCheckpoint): Promise<void> {
      await knex(heads)
        .where('chain', chain)
        .andWhere((w) =>
          w.whereNull('checkpoint_seq').orWhere('checkpoint_seq', '<=', checkpoint.seq),
        )
        .update({
          checkpoint_seq: checkpoint.seq,
          checkpoint_hash: checkpoint.hash,
          checkpoint_at: checkpoint.at.toISOString(),
        });
    },
  };
}
