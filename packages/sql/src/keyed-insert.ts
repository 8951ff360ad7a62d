import type { SqlTarget } from './queries';
import type { NewSqlRow } from './row';
import { Binds, preparedName, type Statement } from './statement';

/** The text and prepared-statement name of a keyed insert, by target and column list. */
const keyedTexts = new WeakMap<SqlTarget, Map<string, { sql: string; name: string }>>();

/**
 * PostgreSQL: one statement that inserts `row` and its changed-keys rows (`keys`), returning the
 * new entry's `id`. A single entry with changes is then one round trip and atomic on its own, where
 * two statements would need a transaction (a savepoint inside the caller's) around them. The keys
 * travel as one JSON array; their rows take the timestamp the entry was stored with. The text
 * depends only on the target and the row's columns, so it is built once for each and named for
 * drivers that keep it prepared (its parse and plan are then made once per connection).
 */
export function keyedInsert(target: SqlTarget, row: NewSqlRow, keys: readonly string[]): Statement {
  const columns = Object.keys(row);
  const bindings: unknown[] = new Array(columns.length + 1);
  for (let i = 0; i < columns.length; i++) bindings[i] = row[columns[i] as string] ?? null;
  bindings[columns.length] = JSON.stringify(keys);
  let texts = keyedTexts.get(target);
  if (texts === undefined) {
    texts = new Map();
    keyedTexts.set(target, texts);
  }
  const shape = columns.join();
  let text = texts.get(shape);
  if (text === undefined) {
    const sql = keyedInsertSql(target, columns);
    text = { sql, name: preparedName(sql) };
    texts.set(shape, text);
  }
  return { sql: text.sql, bindings, name: text.name };
}

/** The text of `keyedInsert` for rows of `columns`: their values, then the keys' JSON array. */
function keyedInsertSql(
  { dialect, table, changedKeys, placeholder }: SqlTarget,
  columns: readonly string[],
): string {
  const q = dialect.quote;
  const b = new Binds(placeholder);
  const values = b.list(columns.map(() => null));
  const json = b.add(null);
  return (
    `WITH ${q('inserted')} AS (INSERT INTO ${table} (${columns.map(q).join(', ')}) VALUES (${values}) RETURNING ${q('id')}, ${q('timestamp')}), ` +
    `${q('keyed')} AS (INSERT INTO ${changedKeys} (${q('entry_id')}, ${q('changed_key')}, ${q('entry_ts')}) SELECT e.${q('id')}, k.${q('key')}, e.${q('timestamp')} FROM ${q('inserted')} e CROSS JOIN json_array_elements_text(CAST(${json} AS json)) AS k(${q('key')})) ` +
    `SELECT ${q('id')} FROM ${q('inserted')}`
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
