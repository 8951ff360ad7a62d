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
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Dialect } from './dialect';
import { chunkRows, insertChunk } from './insert';
import { type EventLogRow, fromRow, toChainedRowValues } from './row';

/** What the chain members need from the storage that owns them. */
export interface ChainContext {
  sequelize: Sequelize;
  dialect: Dialect;
  /** The quoted (and schema-qualified) log table. */
  table: string;
  /** The quoted (and schema-qualified) chain-heads table. */
  heads: string;
  /** `SELECT <every column> FROM <table>`. */
  select: string;
  /** The caller's transaction, else the one a CLS namespace holds, else undefined. */
  parentTransaction(given: Transaction | undefined): Transaction | undefined;
}

/**
 * The `ChainStorage` members of the Sequelize storage, with the knex adapter's SQL and tables
 * (either adapter verifies what the other wrote). Appends serialise per partition on the head
 * row: a write to it comes first (`UPDATE ... SET seq = seq`), which takes PostgreSQL's row lock
 * and SQLite's database write lock before anything is read, so a concurrent writer (in this
 * process or another) waits for the commit and then reads the new head. Inside a caller's
 * REPEATABLE READ / SERIALIZABLE transaction on PostgreSQL such a wait ends in a serialization
 * failure instead: appends need READ COMMITTED (the default).
 */
export function sequelizeChainStorage(ctx: ChainContext): ChainStorage<Transaction> {
  const { sequelize, dialect, table, heads, select } = ctx;

  const rows = <T extends object>(sql: string, bind: unknown[], transaction?: Transaction) =>
    sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT, raw: true, transaction });

  // RETURNING exists on PostgreSQL and SQLite 3.35+: the locking write also reads the head.
  const lock = (t: Transaction, chain: string) =>
    rows<SqlChainHeadRow>(
      `UPDATE ${heads} SET "seq" = "seq" WHERE "chain" = $1 RETURNING *`,
      [chain],
      t,
    );

  /** Takes the partition's lock (creating its head row when new) and returns its head. */
  async function lockHead(t: Transaction, chain: string): Promise<SqlChainHeadRow> {
    const [locked] = await lock(t, chain);
    if (locked) return locked;
    await sequelize.query(
      `INSERT INTO ${heads} ("chain", "seq", "hash", "start_seq", "start_hash") VALUES ($1, 0, $2, 0, $2) ON CONFLICT ("chain") DO NOTHING`,
      { bind: [chain, GENESIS_HASH], type: QueryTypes.INSERT, transaction: t },
    );
    // Another writer may have created it meanwhile: lock whichever row is there now.
    const [created] = await lock(t, chain);
    return created as SqlChainHeadRow;
  }

  /** Runs `fn` in a transaction: a savepoint inside the caller's (or the CLS one), else a new one. */
  const inTransaction = <T>(given: Transaction | undefined, fn: (t: Transaction) => Promise<T>) =>
    sequelize.transaction({ transaction: ctx.parentTransaction(given) }, fn);

  /** Links `entries` after their partitions' heads and writes them, inside `t`. */
  async function append(
    t: Transaction,
    entries: readonly ChainInput[],
    link: ChainLinker,
  ): Promise<EventLog[]> {
    const linked = await linkByPartition(
      entries,
      link,
      async (chain) => {
        const head = await lockHead(t, chain);
        return { seq: Number(head.seq), hash: head.hash };
      },
      async (chain, last) => {
        await sequelize.query(`UPDATE ${heads} SET "seq" = $1, "hash" = $2 WHERE "chain" = $3`, {
          bind: [last.seq, last.hash, chain],
          type: QueryTypes.UPDATE,
          transaction: t,
        });
      },
    );
    const chunks = chunkRows(
      linked,
      linked.map((e) => toChainedRowValues(e, dialect)),
      dialect,
    );
    const stored: EventLog[] = [];
    for (const chunk of chunks) {
      stored.push(...(await insertChunk(sequelize, table, dialect, chunk, t)));
    }
    return stored;
  }

  return {
    async appendChained(
      entries: readonly ChainInput[],
      link: ChainLinker,
      options?: InsertOptions<Transaction>,
    ): Promise<EventLog[]> {
      if (entries.length === 0) return [];
      return inTransaction(options?.transaction, (t) => append(t, entries, link));
    },

    async readChain(chain: string, range: ChainRange): Promise<ChainEntry[]> {
      const bind: unknown[] = [chain, range.fromSeq];
      let sql = `${select} WHERE "chain" = $1 AND "seq" >= $2`;
      if (range.toSeq !== undefined) {
        bind.push(range.toSeq);
        sql += ` AND "seq" <= $${bind.length}`;
      }
      bind.push(range.limit);
      sql += ` ORDER BY "seq" LIMIT $${bind.length}`;
      return (await rows<EventLogRow>(sql, bind)).map((row) => ({
        ...fromRow(row),
        timestampKey: String(row.ts_key),
      }));
    },

    async readUnchained(after: string | null, limit: number): Promise<EventLog[]> {
      const sql =
        after === null
          ? `${select} WHERE "chain" IS NULL ORDER BY "id" LIMIT $1`
          : `${select} WHERE "chain" IS NULL AND "id" > $2 ORDER BY "id" LIMIT $1`;
      const bind = after === null ? [limit] : [limit, after];
      return (await rows<EventLogRow>(sql, bind)).map(fromRow);
    },

    async chainHead(chain: string): Promise<ChainHead | null> {
      const [row] = await rows<SqlChainHeadRow>(`SELECT * FROM ${heads} WHERE "chain" = $1`, [
        chain,
      ]);
      return row ? chainHeadFromRow(row) : null;
    },

    async listChains(): Promise<string[]> {
      // UNION removes duplicates; a head row deleted by hand leaves its entries listed.
      const found = await rows<{ chain: string }>(
        `SELECT "chain" FROM ${heads} UNION SELECT "chain" FROM ${table} WHERE "chain" IS NOT NULL ORDER BY "chain"`,
        [],
      );
      return found.map((r) => r.chain);
    },

    async cutChain(chain: string, cut: ChainPosition, record: CutRecorder): Promise<number> {
      // Never inside a caller's transaction: retention is its own unit of work.
      return sequelize.transaction({ transaction: undefined }, async (t) => {
        const head = await lockHead(t, chain);
        if (Number(head.start_seq) >= cut.seq) return 0;
        const deleted = await sequelize.query(
          `DELETE FROM ${table} WHERE "chain" = $1 AND "seq" <= $2`,
          { bind: [chain, cut.seq], type: QueryTypes.BULKDELETE, transaction: t },
        );
        await sequelize.query(
          `UPDATE ${heads} SET "start_seq" = $1, "start_hash" = $2 WHERE "chain" = $3`,
          { bind: [cut.seq, cut.hash, chain], type: QueryTypes.UPDATE, transaction: t },
        );
        const previous = { seq: Number(head.start_seq), hash: head.start_hash };
        await append(t, [record.entry(previous)], record.link);
        return Number(deleted);
      });
    },

    async recordCheckpoint(chain: string, checkpoint: RecordedCheckpoint): Promise<void> {
      await sequelize.query(
        `UPDATE ${heads} SET "checkpoint_seq" = $1, "checkpoint_hash" = $2, "checkpoint_at" = $3 WHERE "chain" = $4 AND ("checkpoint_seq" IS NULL OR "checkpoint_seq" <= $1)`,
        {
          bind: [checkpoint.seq, checkpoint.hash, checkpoint.at.toISOString(), chain],
          type: QueryTypes.UPDATE,
        },
      );
    },
  };
}
