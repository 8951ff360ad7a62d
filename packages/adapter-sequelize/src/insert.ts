import { type EventLog, type NewEventLog, ValidationError } from '@eventlog/core';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { type Dialect, quote } from './dialect';
import { CHAIN_COLUMNS, INSERT_COLUMNS, type RowValue, storedEntry } from './row';

/** Rows of one statement: PostgreSQL allows 65,535 bind parameters (13 per row, 17 chained). */
const MAX_ROWS = { postgres: 2000, sqlite: 10_000 } as const;
/** Characters of one statement's data, far below either database's per-statement limits. */
const MAX_CHARS = 32 * 1024 * 1024;

/** One statement's worth of entries and their column values. */
export interface InsertChunk {
  entries: NewEventLog[];
  rows: RowValue[][];
}

/** Splits the rows into statements small enough for the dialect. */
export function chunkRows(
  entries: readonly NewEventLog[],
  rows: RowValue[][],
  dialect: Dialect,
): InsertChunk[] {
  const chunks: InsertChunk[] = [];
  let current: InsertChunk = { entries: [], rows: [] };
  let chars = 0;
  rows.forEach((row, i) => {
    const size = row.reduce<number>((n, v) => n + (typeof v === 'string' ? v.length : 8), 0);
    if (
      current.rows.length > 0 &&
      (current.rows.length >= MAX_ROWS[dialect.kind] || chars + size > MAX_CHARS)
    ) {
      chunks.push(current);
      current = { entries: [], rows: [] };
      chars = 0;
    }
    current.entries.push(entries[i] as NewEventLog);
    current.rows.push(row);
    chars += size;
  });
  chunks.push(current);
  return chunks;
}

const plainColumns: readonly string[] = INSERT_COLUMNS;
const chainedColumns: readonly string[] = [...INSERT_COLUMNS, ...CHAIN_COLUMNS];

/**
 * Inserts one chunk in one statement and returns the stored entries in input order.
 * `transaction` undefined lets Sequelize pick up a CLS-managed transaction, as for its own queries.
 */
export async function insertChunk(
  sequelize: Sequelize,
  table: string,
  dialect: Dialect,
  chunk: InsertChunk,
  transaction: Transaction | undefined,
): Promise<EventLog[]> {
  // Chained rows carry the chain columns too; plain rows leave them out, so a table created
  // before they existed still takes inserts.
  const columns =
    (chunk.rows[0]?.length ?? 0) > plainColumns.length ? chainedColumns : plainColumns;
  const columnList = columns.map(quote).join(', ');
  let ids: string[];
  if (dialect.kind === 'postgres') {
    const bind: unknown[] = [];
    const tuples = chunk.rows.map((row) => {
      const params = row.map((value, column) => {
        // Sequelize rewrites U+0000 in PostgreSQL bind values to the two characters `\0`, a
        // silent change; PostgreSQL itself cannot store it, so refuse it as knex's driver does.
        if (typeof value === 'string' && value.includes('\0')) {
          throw ValidationError.field(
            String(columns[column]),
            'contains U+0000 (NUL), which PostgreSQL cannot store',
          );
        }
        bind.push(value);
        return `$${bind.length}`;
      });
      return `(${params.join(', ')})`;
    });
    const sql = `INSERT INTO ${table} (${columnList}) VALUES ${tuples.join(', ')} RETURNING "id"`;
    const returned = await sequelize.query<{ id: string | number }>(sql, {
      bind,
      type: QueryTypes.SELECT,
      raw: true,
      transaction,
    });
    // RETURNING order is not promised by SQL; ids are assigned in VALUES order, so sort by id.
    ids = returned
      .map((r) => BigInt(r.id))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map(String);
  } else {
    // One JSON parameter for all rows: SQLite binds named parameters in quadratic time and allows
    // 32,766 of them, while json_each reads any number of rows in one linear pass.
    const picks = columns.map((_, i) => `value ->> ${i}`).join(', ');
    const sql = `INSERT INTO ${table} (${columnList}) SELECT ${picks} FROM json_each($1) ORDER BY key`;
    const [lastId, changes] = await sequelize.query(sql, {
      bind: [JSON.stringify(chunk.rows)],
      type: QueryTypes.INSERT,
      transaction,
    });
    // One statement under SQLite's single-writer lock gets consecutive AUTOINCREMENT ids, the
    // last one reported; Sequelize's own bulkCreate relies on the same.
    const first = Number(lastId) - Number(changes) + 1;
    ids = chunk.rows.map((_, i) => String(first + i));
  }
  return chunk.entries.map((entry, i) =>
    storedEntry(ids[i] as string, chunk.rows[i] as RowValue[], entry),
  );
}
