import {
  type ChainStorage,
  type DeleteFilter,
  type EventLog,
  type EventLogPage,
  type EventLogStorage,
  type InsertOptions,
  isStoredId,
  type NewEventLog,
  type StorageQuery,
  sqlCursorAfter,
} from '@eventlog/core';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { sequelizeChainStorage } from './chain';
import { chainHeadsTableName } from './columns';
import { dialectOf, quote } from './dialect';
import { chunkRows, insertChunk } from './insert';
import { defineEventLogModel, type EventLogModel, type EventLogModelOptions } from './model';
import { Binds, cursorCondition, filterConditions, whereClause } from './query';
import { type EventLogRow, fromRow, selectList, toRowValues } from './row';

/** Options of `sequelizeStorage`. */
export type SequelizeStorageOptions = EventLogModelOptions;

/**
 * The storage port on Sequelize, with tamper evidence (`ChainStorage`); `insert` and
 * `appendChained` accept the caller's Sequelize `Transaction`.
 */
export type SequelizeEventLogStorage = EventLogStorage<Transaction> &
  ChainStorage<Transaction> & {
    findByEventId(eventId: string, options?: InsertOptions<Transaction>): Promise<EventLog | null>;
    /** The event log model, for the app's own queries. */
    readonly model: EventLogModel;
  };

/** The transaction a CLS namespace (`Sequelize.useCLS`) holds for the current async context. */
function clsTransaction(sequelize: Sequelize): Transaction | undefined {
  const cls = (sequelize.constructor as { _cls?: { get(key: string): unknown } })._cls;
  return cls?.get('transaction') as Transaction | undefined;
}

/** `"schema"."table"` or `"table"`, from the model; `rename` maps the bare table name. */
function qualifiedTable(model: EventLogModel, rename = (t: string) => t): string {
  const name = model.getTableName() as string | { schema?: string; tableName: string };
  if (typeof name === 'string') return quote(rename(name));
  const table = quote(rename(name.tableName));
  return name.schema ? `${quote(name.schema)}.${table}` : table;
}

/**
 * An `EventLogStorage` on a Sequelize v6 instance (PostgreSQL or SQLite). It defines the event
 * log model (`defineEventLogModel`) unless one of that name exists; the table must exist
 * (`createEventLogTable` or `eventLogMigration`). Writes join `{ transaction }` when given, else a
 * CLS-managed transaction when the app uses `Sequelize.useCLS`. Driver errors propagate
 * unchanged; `EventLogService` wraps them into `StorageError`.
 *
 * Tamper evidence (`capabilities.integrity`) needs the chain columns and the chain-heads table,
 * which `createEventLogTable` and `eventLogMigration` create (and `eventLogIntegrityMigration`
 * adds to an older table); tables without them keep working while the service's `integrity`
 * option is off. SQLite allows one writer at a time: concurrent chained appends from several
 * connections need a busy timeout (`PRAGMA busy_timeout`) or they fail with SQLITE_BUSY.
 */
export function sequelizeStorage(
  sequelize: Sequelize,
  options: SequelizeStorageOptions = {},
): SequelizeEventLogStorage {
  const dialect = dialectOf(sequelize);
  const model = defineEventLogModel(sequelize, options);
  const table = qualifiedTable(model);
  const select = `SELECT ${selectList(dialect)} FROM ${table}`;
  const parentTransaction = (given: Transaction | undefined) => given ?? clsTransaction(sequelize);

  const selectRows = (
    sql: string,
    bind: unknown[],
    transaction?: Transaction,
  ): Promise<EventLogRow[]> =>
    sequelize.query<EventLogRow>(sql, { bind, type: QueryTypes.SELECT, raw: true, transaction });

  return {
    name: 'sequelize',
    capabilities: { transactions: true, eventIdLookup: true, integrity: true },
    model,
    ...sequelizeChainStorage({
      sequelize,
      dialect,
      table,
      heads: qualifiedTable(model, chainHeadsTableName),
      select,
      parentTransaction,
    }),

    async insert(entries: readonly NewEventLog[], opts?: InsertOptions<Transaction>) {
      if (entries.length === 0) return [];
      const chunks = chunkRows(
        entries,
        entries.map((e) => toRowValues(e, dialect)),
        dialect,
      );
      const given = opts?.transaction;
      if (chunks.length === 1) {
        return insertChunk(sequelize, table, dialect, chunks[0] as (typeof chunks)[0], given);
      }
      // Several statements: a transaction (a savepoint inside the caller's or the CLS one) keeps
      // the call all-or-nothing.
      return sequelize.transaction({ transaction: parentTransaction(given) }, async (t) => {
        const stored: EventLog[] = [];
        for (const chunk of chunks) {
          stored.push(...(await insertChunk(sequelize, table, dialect, chunk, t)));
        }
        return stored;
      });
    },

    async find(query: StorageQuery): Promise<EventLogPage> {
      const binds = new Binds();
      const conditions = filterConditions(query, dialect, binds);
      const countBind = [...binds.values];
      if (query.cursor) conditions.push(cursorCondition(query.cursor, query.order, dialect, binds));
      const order = query.order === 'desc' ? 'DESC' : 'ASC';
      // One extra row tells whether a next page exists, without a count.
      let sql = `${select}${whereClause(conditions)} ORDER BY "timestamp" ${order}, "id" ${order} LIMIT ${binds.add(query.limit + 1)}`;
      if (query.offset > 0) sql += ` OFFSET ${binds.add(query.offset)}`;
      const counting = query.withCount
        ? sequelize.query<{ n: number | string }>(
            `SELECT COUNT(*) AS "n" FROM ${table}${whereClause(filterConditions(query, dialect, new Binds()))}`,
            { bind: countBind, type: QueryTypes.SELECT, raw: true },
          )
        : undefined;
      const [rows, counted] = await Promise.all([selectRows(sql, binds.values), counting]);
      const more = rows.length > query.limit;
      const pageRows = more ? rows.slice(0, query.limit) : rows;
      const last = pageRows[pageRows.length - 1];
      const page: EventLogPage = {
        results: pageRows.map(fromRow),
        nextCursor: more && last ? sqlCursorAfter(query.order, last.ts_key, String(last.id)) : null,
      };
      if (counted) page.count = Number(counted[0]?.n ?? 0);
      return page;
    },

    async get(id: string) {
      if (!isStoredId(id)) return null;
      const [row] = await selectRows(`${select} WHERE "id" = ${dialect.idParam('$1')}`, [id]);
      return row ? fromRow(row) : null;
    },

    async findByEventId(eventId: string, opts?: InsertOptions<Transaction>) {
      const [row] = await selectRows(
        `${select} WHERE "event_id" = $1`,
        [eventId],
        opts?.transaction,
      );
      return row ? fromRow(row) : null;
    },

    async deleteBefore(cutoff: Date, filter?: DeleteFilter) {
      const binds = new Binds();
      const cutoffParam = dialect.timestampParam(
        binds.add(dialect.encodeTimestamp(cutoff, 'cutoff')),
      );
      const conditions = [`"timestamp" < ${cutoffParam}`];
      if (filter?.tool) conditions.push(`"tool" IN (${binds.list(filter.tool)})`);
      // Chained entries leave only through cutChain, never from the middle of a chain.
      if (filter?.unchained) conditions.push('"chain" IS NULL');
      const deleted = await sequelize.query(`DELETE FROM ${table}${whereClause(conditions)}`, {
        bind: binds.values,
        type: QueryTypes.BULKDELETE,
      });
      return Number(deleted);
    },
  };
}
