import type { DeleteFilter, StorageQuery } from '@eventlog/core/storage';
import type { SqlDialect } from './dialect';
import { likePattern, readSqlCursor } from './keys';
import { Binds, type Placeholder, type Statement, whereClause } from './statement';

/** A LIMIT or OFFSET written into the SQL: only a non-negative safe integer gets there. */
function integer(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a row count: ${n}`);
  return String(n);
}

/** Where the statements run: the dialect, the quoted tables and the placeholder style. */
export interface SqlTarget {
  dialect: SqlDialect;
  /** The quoted (possibly schema-qualified) log table. */
  table: string;
  /** The quoted (possibly schema-qualified) chain-heads table. */
  heads: string;
  placeholder: Placeholder;
}

/**
 * The read and delete statements of the log table. Every read selects `*` (a table created
 * before the chain columns still reads, its entries unchained) and the timestamp as its text key.
 */
export function logStatements({ dialect, table, placeholder }: SqlTarget) {
  const q = dialect.quote;
  const select = `SELECT *, ${dialect.timestampKey} AS ${q('ts_key')} FROM ${table}`;
  const binds = () => new Binds(placeholder);

  /** The conditions of every filter of `query` (not cursor, offset, order or limit). */
  function filters(query: StorageQuery, b: Binds): string[] {
    const where: string[] = [];
    const ts = (date: Date, field: string) =>
      dialect.timestampParam(b.add(dialect.encodeTimestamp(date, field)));
    if (query.tool) where.push(`${q('tool')} IN (${b.list(query.tool)})`);
    if (query.action) where.push(`${q('action')} IN (${b.list(query.action)})`);
    if (query.actorId !== undefined) where.push(`${q('actor_id')} = ${b.add(query.actorId)}`);
    if (query.objectType !== undefined) {
      where.push(`${q('object_type')} = ${b.add(query.objectType)}`);
    }
    if (query.objectId !== undefined) where.push(`${q('object_id')} = ${b.add(query.objectId)}`);
    if (query.from) where.push(`${q('timestamp')} >= ${ts(query.from, 'from')}`);
    if (query.to) where.push(`${q('timestamp')} < ${ts(query.to, 'to')}`);
    if (query.search !== undefined) {
      where.push(dialect.search(q('message'), b.add(likePattern(query.search))));
    }
    return where;
  }

  return {
    /**
     * One page of `query`, with one row more than `limit` to tell whether another page exists.
     * The cursor is a row comparison, which PostgreSQL, SQLite (3.15+) and MySQL serve from the
     * `(…, timestamp, id)` indexes; `ts < ? OR (ts = ? AND id < ?)` would scan like OFFSET.
     */
    page(query: StorageQuery): Statement {
      const b = binds();
      const where = filters(query, b);
      if (query.cursor) {
        const [ts, id] = readSqlCursor(query.cursor, query.order);
        const op = query.order === 'desc' ? '<' : '>';
        const key = `${dialect.timestampParam(b.add(dialect.bindTimestampKey(ts)))}, ${dialect.idParam(b.add(id))}`;
        where.push(`(${q('timestamp')}, ${q('id')}) ${op} (${key})`);
      }
      const dir = query.order === 'desc' ? 'DESC' : 'ASC';
      let sql = `${select}${whereClause(where)} ORDER BY ${q('timestamp')} ${dir}, ${q('id')} ${dir} LIMIT ${integer(query.limit + 1)}`;
      if (query.offset > 0) sql += ` OFFSET ${integer(query.offset)}`;
      return b.statement(sql);
    },

    /** How many rows match the filters of `query`, as the column `n`. */
    count(query: StorageQuery): Statement {
      const b = binds();
      return b.statement(
        `SELECT COUNT(*) AS ${q('n')} FROM ${table}${whereClause(filters(query, b))}`,
      );
    },

    /** The row with column `column` equal to `value` (`id` is cast to the column type). */
    byKey(column: 'id' | 'event_id', value: string): Statement {
      const b = binds();
      const param = column === 'id' ? dialect.idParam(b.add(value)) : b.add(value);
      return b.statement(`${select} WHERE ${q(column)} = ${param} LIMIT 1`);
    },

    /** Retention: rows older than `cutoff` (and of `filter`). */
    deleteBefore(cutoff: Date, filter?: DeleteFilter): Statement {
      const b = binds();
      const where = [
        `${q('timestamp')} < ${dialect.timestampParam(b.add(dialect.encodeTimestamp(cutoff, 'cutoff')))}`,
      ];
      if (filter?.tool) where.push(`${q('tool')} IN (${b.list(filter.tool)})`);
      // Chained entries leave only through cutChain, never from the middle of a chain.
      if (filter?.unchained) where.push(`${q('chain')} IS NULL`);
      return b.statement(`DELETE FROM ${table}${whereClause(where)}`);
    },

    /** Entries of `chain` with `fromSeq <= seq <= toSeq`, by seq. */
    chainRange(
      chain: string,
      fromSeq: number,
      toSeq: number | undefined,
      limit: number,
    ): Statement {
      const b = binds();
      let sql = `${select} WHERE ${q('chain')} = ${b.add(chain)} AND ${q('seq')} >= ${b.add(fromSeq)}`;
      if (toSeq !== undefined) sql += ` AND ${q('seq')} <= ${b.add(toSeq)}`;
      return b.statement(`${sql} ORDER BY ${q('seq')} LIMIT ${integer(limit)}`);
    },

    /** Entries outside every chain, by id, after `after`. */
    unchained(after: string | null, limit: number): Statement {
      const b = binds();
      let sql = `${select} WHERE ${q('chain')} IS NULL`;
      if (after !== null) sql += ` AND ${q('id')} > ${dialect.idParam(b.add(after))}`;
      return b.statement(`${sql} ORDER BY ${q('id')} LIMIT ${integer(limit)}`);
    },

    /** Chained entries of `chain` with `seq <= cut`. */
    deleteChainTo(chain: string, cut: number): Statement {
      const b = binds();
      return b.statement(
        `DELETE FROM ${table} WHERE ${q('chain')} = ${b.add(chain)} AND ${q('seq')} <= ${b.add(cut)}`,
      );
    },
  };
}

/** The statements of `logStatements`. */
export type LogStatements = ReturnType<typeof logStatements>;
