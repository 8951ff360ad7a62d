import type { SqlTarget } from './queries';
import type { NewSqlRow } from './row';
import { Binds, type Statement } from './statement';

/**
 * PostgreSQL: one statement that inserts `row` and its changed-keys rows (`keys`), returning the
 * new entry's `id`. A single entry with changes is then one round trip and atomic on its own, where
 * two statements would need a transaction (a savepoint inside the caller's) around them. The keys
 * travel as one JSON array; their rows take the timestamp the entry was stored with.
 */
export function keyedInsert(
  { dialect, table, changedKeys, placeholder }: SqlTarget,
  row: NewSqlRow,
  keys: readonly string[],
): Statement {
  const q = dialect.quote;
  const b = new Binds(placeholder);
  const columns = Object.keys(row);
  const values = b.list(columns.map((c) => row[c] ?? null));
  const json = b.add(JSON.stringify(keys));
  return b.statement(
    `WITH ${q('inserted')} AS (INSERT INTO ${table} (${columns.map(q).join(', ')}) VALUES (${values}) RETURNING ${q('id')}, ${q('timestamp')}), ` +
      `${q('keyed')} AS (INSERT INTO ${changedKeys} (${q('entry_id')}, ${q('changed_key')}, ${q('entry_ts')}) SELECT e.${q('id')}, k.${q('key')}, e.${q('timestamp')} FROM ${q('inserted')} e CROSS JOIN json_array_elements_text(CAST(${json} AS json)) AS k(${q('key')})) ` +
      `SELECT ${q('id')} FROM ${q('inserted')}`,
  );
}

/** A plain single-row INSERT of `row`, its columns in the row's order. */
export function rowInsert({ dialect, table, placeholder }: SqlTarget, row: NewSqlRow): Statement {
  const b = new Binds(placeholder);
  const columns = Object.keys(row);
  const values = b.list(columns.map((c) => row[c] ?? null));
  return b.statement(
    `INSERT INTO ${table} (${columns.map(dialect.quote).join(', ')}) VALUES (${values})`,
  );
}
