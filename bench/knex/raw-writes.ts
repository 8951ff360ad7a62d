/**
 * The hand-written side of the knex write rows: what an application writes without eventlog for
 * the same input. eventlog stores an entry's row and one changed-keys row per key its changes
 * name (what key search reads), in one transaction; a baseline that wrote the entry row alone
 * would not be the same write. So the hand-written code writes both, the way a careful
 * application would: in the caller's transaction, the keys' rows taking the id the entry got.
 */

import { changedKeysTableName } from '@eventlog/sql';
import type { Knex } from 'knex';

/** The table the hand-written writes go to (created like eventlog's, with its changed-keys table). */
export const RAW = 'bench_raw';
const RAW_KEYS = changedKeysTableName(RAW);

const CHANGES = { oldValue: { name: 'a' }, newValue: { name: 'b' } };

/** The same row as the bench's `input(i)`, built by hand the way an application would write it. */
export function rawRow(i: number, sqlite: boolean) {
  const now = new Date();
  return {
    timestamp: sqlite ? `${now.toISOString().slice(0, 23)}000Z` : now,
    actor_id: `user_${i % 100}`,
    actor_label: `User ${i % 100}`,
    message: `Item Item ${i % 10_000} was updated`,
    template: 'Item {item__name} was updated',
    values: JSON.stringify({ item__name: `Item ${i % 10_000}` }),
    tool: `tool_${i % 50}`,
    action: 'update',
    object_type: 'Item',
    object_id: String(i % 10_000),
    changes: JSON.stringify(CHANGES),
    metadata: JSON.stringify({ ip: '127.0.0.1' }),
    event_id: null,
  };
}

/** The keys the row's changes name, old and new, each once. */
export const rawKeys = (): string[] => [
  ...new Set([...Object.keys(CHANGES.oldValue), ...Object.keys(CHANGES.newValue)]),
];

type Row = ReturnType<typeof rawRow>;
type KeyRow = { entry_id: number | string; changed_key: string; entry_ts: Row['timestamp'] };

const keyRowsOf = (id: number | string, row: Row): KeyRow[] =>
  rawKeys().map((changed_key) => ({ entry_id: id, changed_key, entry_ts: row.timestamp }));

/**
 * Inserts `rows` in statements of `chunk` rows through `trx` and returns their ids in order:
 * `RETURNING id` on PostgreSQL; on SQLite the last rowid of each statement, the ids before it
 * following one by one.
 */
async function insertRows(trx: Knex.Transaction, rows: Row[], chunk: number, sqlite: boolean) {
  const ids: (number | string)[] = [];
  for (let k = 0; k < rows.length; k += chunk) {
    const part = rows.slice(k, k + chunk);
    if (sqlite) {
      const [last] = (await trx(RAW).insert(part)) as number[];
      for (let n = part.length - 1; n >= 0; n--) ids.push((last as number) - n);
    } else {
      const returned = (await trx(RAW).insert(part).returning('id')) as { id: string }[];
      for (const r of returned) ids.push(r.id);
    }
  }
  return ids;
}

/** SQL text built once, as careful hand-written code keeps it (each `?` a placeholder). */
const ROW_COLUMNS = Object.keys(rawRow(0, true));
const insertRowSql = (sqlite: boolean) =>
  `INSERT INTO "${RAW}" (${ROW_COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${ROW_COLUMNS.map(() => '?').join(', ')})${sqlite ? '' : ' RETURNING "id"'}`;
const ROW_SQL = { sqlite: insertRowSql(true), pg: insertRowSql(false) };
const keysSql = (n: number) =>
  `INSERT INTO "${RAW_KEYS}" ("entry_id", "changed_key", "entry_ts") VALUES ${Array.from({ length: n }, () => '(?, ?, ?)').join(', ')}`;
const KEYS_SQL = new Map<number, string>();

/**
 * One entry, as `log()` writes it: its row, then its changed-keys rows, in `trx`. The fastest
 * hand-written form through knex: SQL text built once and sent with `knex.raw` (no query builder
 * per call), and on PostgreSQL each statement named, so pg prepares it once per connection and
 * the server parses and plans it once (what eventlog's own `log()` does).
 */
export async function rawLog(trx: Knex.Transaction, i: number, sqlite: boolean): Promise<void> {
  const row = rawRow(i, sqlite);
  const values = Object.values(row) as Knex.Value[];
  const keys = rawKeys();
  let keysSqlText = KEYS_SQL.get(keys.length);
  if (keysSqlText === undefined) {
    keysSqlText = keysSql(keys.length);
    KEYS_SQL.set(keys.length, keysSqlText);
  }
  let id: number | string;
  if (sqlite) {
    id = ((await trx.raw(ROW_SQL.sqlite, values)) as { lastInsertRowid: number }).lastInsertRowid;
  } else {
    const inserted = (await trx.raw(ROW_SQL.pg, values).options({ name: 'bench_raw_row' })) as {
      rows: { id: string }[];
    };
    id = (inserted.rows[0] as { id: string }).id;
  }
  const bindings = keys.flatMap((key) => [id, key, row.timestamp]) as Knex.Value[];
  const insertKeys = trx.raw(keysSqlText, bindings);
  await (sqlite ? insertKeys : insertKeys.options({ name: `bench_raw_keys_${keys.length}` }));
}

/**
 * `count` entries, as `logMany` writes them: the rows in statements of `chunk`, then their
 * changed-keys rows in statements of `chunk` rows, in `trx`.
 */
export async function rawMany(
  trx: Knex.Transaction,
  count: number,
  chunk: number,
  sqlite: boolean,
): Promise<void> {
  const rows = Array.from({ length: count }, (_, k) => rawRow(k, sqlite));
  const ids = await insertRows(trx, rows, chunk, sqlite);
  const keyRows = rows.flatMap((row, k) => keyRowsOf(ids[k] as number | string, row));
  for (let k = 0; k < keyRows.length; k += chunk) {
    await trx(RAW_KEYS).insert(keyRows.slice(k, k + chunk));
  }
}
