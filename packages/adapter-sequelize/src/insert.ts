import { type EventLog, type NewEventLog, ValidationError } from '@eventlog/core';
import { type DialectKind, insertedEntry, type NewSqlRow, type SqlDialect } from '@eventlog/sql';
import { QueryTypes } from 'sequelize';
import type { SequelizeSession } from './session';

/** Rows of one statement: PostgreSQL allows 65,535 bind parameters (14 per row, 18 chained). */
const MAX_ROWS: Record<DialectKind, number> = { postgres: 2000, sqlite: 10_000, mysql: 2000 };
/** Characters of one statement's data, far below either database's per-statement limits. */
const MAX_CHARS = 32 * 1024 * 1024;

/** One statement's worth of entries and their column values. */
interface InsertChunk {
  entries: NewEventLog[];
  rows: NewSqlRow[];
}

/** Splits the rows into statements small enough for the dialect. */
export function chunkRows(
  entries: readonly NewEventLog[],
  rows: readonly NewSqlRow[],
  kind: DialectKind,
): InsertChunk[] {
  const chunks: InsertChunk[] = [];
  let current: InsertChunk = { entries: [], rows: [] };
  let chars = 0;
  rows.forEach((row, i) => {
    let size = 0;
    for (const key in row) {
      const v = row[key];
      size += typeof v === 'string' ? v.length : 8;
    }
    if (
      current.rows.length > 0 &&
      (current.rows.length >= MAX_ROWS[kind] || chars + size > MAX_CHARS)
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

/**
 * Inserts one chunk in one statement through `session` and returns the stored entries in input
 * order. The rows' keys name the columns: chained rows carry the chain columns too, plain rows
 * leave them out, so a table created before they existed still takes inserts.
 */
export async function insertChunk(
  session: SequelizeSession,
  table: string,
  dialect: SqlDialect,
  chunk: InsertChunk,
): Promise<EventLog[]> {
  const { sequelize, tx: transaction } = session;
  const columns = Object.keys(chunk.rows[0] as NewSqlRow);
  const values = chunk.rows.map((row) => columns.map((column) => row[column] ?? null));
  const columnList = columns.map(dialect.quote).join(', ');
  let ids: string[];
  if (dialect.kind === 'postgres') {
    const bind: unknown[] = [];
    const tuples = values.map((row) => {
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
      bind: [JSON.stringify(values)],
      type: QueryTypes.INSERT,
      transaction,
    });
    // One statement under SQLite's single-writer lock gets consecutive AUTOINCREMENT ids, the
    // last one reported; Sequelize's own bulkCreate relies on the same.
    const first = Number(lastId) - Number(changes) + 1;
    ids = chunk.rows.map((_, i) => String(first + i));
  }
  return chunk.entries.map((entry, i) =>
    insertedEntry(ids[i] as string, entry, chunk.rows[i] as NewSqlRow),
  );
}
