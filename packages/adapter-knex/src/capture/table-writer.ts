import { CaptureError } from '@eventlog/core';
import type { CaptureRow, RowChange } from '@eventlog/core/storage';
import type { Knex } from 'knex';

/** Which rows a captured update or delete touches: an equality object or a query callback. */
export type CaptureWhere = Record<string, unknown> | ((qb: Knex.QueryBuilder) => unknown);

/**
 * The statements of one tracked table on one SQL family. Every method runs on the caller's
 * transaction and reads the before-state under the lock of the write itself.
 */
export interface TableWriter {
  insert(trx: Knex.Transaction, rows: readonly CaptureRow[]): Promise<CaptureRow[]>;
  update(trx: Knex.Transaction, where: CaptureWhere, patch: CaptureRow): Promise<RowChange[]>;
  /** Deletes and returns the rows as they were. */
  delete(trx: Knex.Transaction, where: CaptureWhere): Promise<CaptureRow[]>;
  /** The row with this id, locked for the rest of the transaction where the database can. */
  lockOne(trx: Knex.Transaction, id: unknown): Promise<CaptureRow | null>;
}

type Family = 'postgres' | 'sqlite' | 'mariadb' | 'mysql';

/** Rows per statement: SQLite's compound insert holds 500 terms, pg binds at most 65,535 values. */
const INSERT_CHUNK: Record<Family, number> = {
  postgres: 1000,
  sqlite: 500,
  mariadb: 1000,
  mysql: 1,
};
/** Ids per `IN (...)` list on MySQL-family servers. */
const ID_CHUNK = 1000;
/** Prefix of the before-state columns an update returns on PostgreSQL. */
const OLD = '__eventlog_old__';

/** The rows of `knex.raw` on each driver. */
function rawRows(result: unknown, family: Family): CaptureRow[] {
  if (family === 'postgres') return (result as { rows: CaptureRow[] }).rows;
  if (family === 'mariadb' || family === 'mysql') return (result as [CaptureRow[]])[0];
  return result as CaptureRow[];
}

/** Runs a compiled statement with ` RETURNING *` appended (SQLite, MariaDB). */
async function returning(trx: Knex.Transaction, q: Knex.QueryBuilder, family: Family) {
  const { sql, bindings } = q.toSQL();
  return rawRows(await trx.raw(`${sql} returning *`, bindings as Knex.Value[]), family);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Pairs before and after rows by id; a row in one set only means the write was not isolated. */
function pair(before: CaptureRow[], after: CaptureRow[], idKey: string): RowChange[] {
  const mismatch = () =>
    new CaptureError(
      'no-id',
      `the rows updated differ from the rows read before the update (is "${idKey}" the table's key?)`,
    );
  if (after.length !== before.length) throw mismatch();
  const changes: RowChange[] = new Array(before.length);
  // Both statements usually walk the rows in the same order: pair by position while the ids
  // agree, and index the rest by id only when they do not.
  let i = 0;
  for (; i < before.length; i++) {
    const b = before[i] as CaptureRow;
    const a = after[i] as CaptureRow;
    if (b[idKey] !== a[idKey] || b[idKey] === undefined) break;
    changes[i] = { before: b, after: a };
  }
  if (i === before.length) return changes;
  const byId = new Map<string, CaptureRow>();
  for (let j = i; j < after.length; j++) {
    const a = after[j] as CaptureRow;
    byId.set(String(a[idKey]), a);
  }
  for (let j = i; j < before.length; j++) {
    const b = before[j] as CaptureRow;
    const key = String(b[idKey]);
    const a = byId.get(key);
    if (a === undefined) throw mismatch();
    byId.delete(key);
    changes[j] = { before: b, after: a };
  }
  return changes;
}

/** The SQL family of `db`; MariaDB and MySQL are told apart by the server's version. */
async function familyOf(db: Knex): Promise<Family> {
  const dialect = String(db.client.dialect ?? db.client.config?.client ?? '');
  if (/postgres|^pg$/.test(dialect)) return 'postgres';
  if (/sqlite/.test(dialect)) return 'sqlite';
  if (/mysql/.test(dialect)) {
    const [rows] = (await db.raw('SELECT VERSION() AS v')) as [{ v: string }[]];
    const [, major = 0, minor = 0] = (/^(\d+)\.(\d+)/.exec(rows[0]?.v ?? '') ?? []).map(Number);
    const mariadb = /mariadb/i.test(rows[0]?.v ?? '');
    return mariadb && (major > 10 || (major === 10 && minor >= 5)) ? 'mariadb' : 'mysql';
  }
  throw new CaptureError('options', `captureTable: unsupported knex client "${dialect}"`);
}

/**
 * The statements of `table` on the database behind `db` (the knex instance, or the caller's
 * transaction when it holds the only free connection).
 */
export async function tableWriter(db: Knex, table: string, idKey: string): Promise<TableWriter> {
  const family = await familyOf(db);
  const lock =
    family === 'sqlite' ? (q: Knex.QueryBuilder) => q : (q: Knex.QueryBuilder) => q.forUpdate();
  const byIds = (trx: Knex.Transaction, ids: readonly unknown[]) =>
    trx(table).whereIn(idKey, ids as Knex.Value[]);
  let oldColumns: Promise<string[]> | undefined;
  // Read on the write's own transaction: a pool whose connections are all held by such
  // transactions would never hand out another one.
  const columns = (trx: Knex.Transaction) => {
    oldColumns ??= trx(table)
      .columnInfo()
      .then(
        (info) => Object.keys(info),
        (error: unknown) => {
          oldColumns = undefined;
          throw error;
        },
      );
    return oldColumns;
  };

  async function insert(trx: Knex.Transaction, rows: readonly CaptureRow[]) {
    const out: CaptureRow[] = [];
    for (const chunk of chunks(rows, INSERT_CHUNK[family])) {
      if (family === 'postgres' || family === 'sqlite') {
        out.push(...((await trx(table).insert(chunk).returning('*')) as CaptureRow[]));
      } else if (family === 'mariadb') {
        out.push(...(await returning(trx, trx(table).insert(chunk), family)));
      } else {
        // MySQL has no RETURNING: one row per statement, read back by the id it was given.
        const [id] = (await trx(table).insert(chunk)) as unknown[];
        const given = (chunk[0] as CaptureRow)[idKey];
        out.push(...((await byIds(trx, [given ?? id])) as CaptureRow[]));
      }
    }
    return out;
  }

  async function update(trx: Knex.Transaction, where: CaptureWhere, patch: CaptureRow) {
    if (family === 'postgres') {
      // One statement: the CTE locks the rows and keeps their old values, the UPDATE returns both.
      const old = (await columns(trx)).map((c) => `__old.${c} as ${OLD}${c}`);
      const rows = (await trx(table)
        .with('__old', lock(trx(table).select('*').where(where)))
        .update(patch)
        .updateFrom('__old')
        .where(`${table}.${idKey}`, trx.ref(`__old.${idKey}`))
        .returning([`${table}.*`, ...old])) as CaptureRow[];
      return rows.map(splitOld);
    }
    const before = (await lock(trx(table).select('*').where(where))) as CaptureRow[];
    if (before.length === 0) return [];
    if (family === 'sqlite') {
      // Writers are serialised: the same filter updates the rows just read.
      const after = (await trx(table).where(where).update(patch).returning('*')) as CaptureRow[];
      return pair(before, after, idKey);
    }
    const after: CaptureRow[] = [];
    for (const ids of chunks(
      before.map((r) => r[idKey]),
      ID_CHUNK,
    )) {
      await byIds(trx, ids).update(patch);
      after.push(...((await byIds(trx, ids)) as CaptureRow[]));
    }
    return pair(before, after, idKey);
  }

  async function remove(trx: Knex.Transaction, where: CaptureWhere) {
    if (family === 'postgres') {
      return (await trx(table).where(where).del().returning('*')) as CaptureRow[];
    }
    if (family === 'sqlite' || family === 'mariadb') {
      return returning(trx, trx(table).where(where).del(), family);
    }
    const before = (await lock(trx(table).select('*').where(where))) as CaptureRow[];
    for (const ids of chunks(
      before.map((r) => r[idKey]),
      ID_CHUNK,
    ))
      await byIds(trx, ids).del();
    return before;
  }

  async function lockOne(trx: Knex.Transaction, id: unknown) {
    const rows = (await lock(byIds(trx, [id]).select('*'))) as CaptureRow[];
    return rows[0] ?? null;
  }

  return { insert, update, delete: remove, lockOne };
}

/** Splits a row returned by the PostgreSQL update into its before and after states. */
function splitOld(row: CaptureRow): RowChange {
  const before: CaptureRow = {};
  const after: CaptureRow = {};
  for (const [key, value] of Object.entries(row)) {
    if (key.startsWith(OLD)) before[key.slice(OLD.length)] = value;
    else after[key] = value;
  }
  return { before, after };
}
