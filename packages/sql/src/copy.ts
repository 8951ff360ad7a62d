import type { EventLog } from '@eventlog/core';
import { changedKeysOf, type NewEventLog } from '@eventlog/core/storage';
import type { SqlTarget } from './queries';
import { insertedEntry, type NewSqlRow, type SqlValue } from './row';
import type { CopyFrom, SqlSession } from './session';
import { Binds } from './statement';

/** Rows per piece of COPY data handed to the driver. */
const ROWS_PER_PIECE = 500;

/** What a value needs escaped in COPY's text format: the backslash and the row/column separators. */
const SPECIAL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One value in COPY's text format: `\N` for NULL, text with its specials escaped. */
function copyValue(value: SqlValue): string {
  if (value === null) return '\\N';
  const text = String(value);
  SPECIAL.lastIndex = 0;
  return SPECIAL.test(text) ? text.replace(SPECIAL, (c) => ESCAPES[c] as string) : text;
}

/** The rows as COPY text, `ROWS_PER_PIECE` lines per piece; `line` gives each row's values. */
function* copyText<R>(rows: readonly R[], line: (row: R, i: number) => SqlValue[]) {
  for (let start = 0; start < rows.length; start += ROWS_PER_PIECE) {
    let piece = '';
    const end = Math.min(rows.length, start + ROWS_PER_PIECE);
    for (let i = start; i < end; i++)
      piece += `${line(rows[i] as R, i)
        .map(copyValue)
        .join('\t')}\n`;
    yield piece;
  }
}

/**
 * Writes `entries` (whose rows are `rows`) with PostgreSQL's bulk path instead of INSERT
 * statements, inside `session`'s transaction (the caller opens it: the ids, the entries and the
 * changed-keys rows commit together or not at all). Returns the entries as stored, in input order.
 *
 * The ids come first, from the table's own sequence (one `nextval` per entry, in ascending order,
 * so ids grow with input order as with INSERT); then one COPY writes the entries with those ids
 * and one COPY their changed-keys rows. COPY checks every constraint an INSERT does (a stored
 * `eventId` fails it whole), and the values are the very texts an INSERT binds, so what is
 * stored is the same. Resolves to null, having written nothing, when the table's `id` has no
 * sequence to draw from or is `GENERATED ALWAYS` (columns the adapters' migrations do not
 * create): then use INSERT.
 */
export async function copyEntries<S extends SqlSession>(
  session: S,
  target: SqlTarget,
  copyFrom: CopyFrom<S>,
  entries: readonly NewEventLog[],
  rows: readonly NewSqlRow[],
): Promise<EventLog[] | null> {
  const { dialect, table, changedKeys } = target;
  const q = dialect.quote;
  const b = new Binds(target.placeholder);
  const sequence = `pg_get_serial_sequence(${b.add(table)}, 'id')`;
  const count = b.add(rows.length);
  // No ids when `id` is GENERATED ALWAYS: COPY could not write them (INSERT leaves it out).
  const always = `SELECT 1 FROM pg_attribute WHERE attrelid = CAST(${b.add(table)} AS regclass) AND attname = 'id' AND attidentity = 'a'`;
  const reserved = await session.query<{ id: string | number | null }>(
    b.statement(
      `SELECT nextval(${sequence}) AS ${q('id')} FROM generate_series(1, CAST(${count} AS integer)) WHERE NOT EXISTS (${always}) ORDER BY 1`,
    ),
  );
  if (reserved.length !== rows.length || reserved[0]?.id == null) return null;
  const ids = reserved.map((r) => String(r.id));
  const columns = Object.keys(rows[0] as NewSqlRow);
  await copyFrom(
    session,
    `COPY ${table} (${[q('id'), ...columns.map(q)].join(', ')}) FROM STDIN`,
    copyText(rows, (row, i) => [ids[i] as string, ...columns.map((c) => row[c] ?? null)]),
  );
  const keyRows: SqlValue[][] = [];
  for (let i = 0; i < entries.length; i++) {
    const ts = (rows[i] as NewSqlRow).timestamp as string;
    for (const key of changedKeysOf((entries[i] as NewEventLog).changes)) {
      keyRows.push([ids[i] as string, key, ts]);
    }
  }
  if (keyRows.length > 0) {
    const keyColumns = [q('entry_id'), q('changed_key'), q('entry_ts')].join(', ');
    await copyFrom(
      session,
      `COPY ${changedKeys} (${keyColumns}) FROM STDIN`,
      copyText(keyRows, (row) => row),
    );
  }
  return entries.map((entry, i) => insertedEntry(ids[i] as string, entry, rows[i] as NewSqlRow));
}
