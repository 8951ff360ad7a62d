import type { EventLog } from '@eventlog/core';
import { type ChainInput, changedKeysOf } from '@eventlog/core/storage';
import { ENTRY_COLUMNS } from './layout';
import type { SqlTarget } from './queries';
import { insertedEntry } from './row';
import { Binds, preparedName, type Statement } from './statement';

/** What `chainedInsert` returns for each entry, by column name. */
export interface ChainedInsertRow {
  id: number | string;
  seq: number | string;
  prev_hash: string;
  hash: string;
}

/**
 * PostgreSQL: one statement that appends `entries` (all of partition `chain`, in order) and their
 * changed-keys rows, so an autocommit append is a single round trip. It locks the head row
 * (`FOR UPDATE`: a concurrent writer waits for the commit, then reads the head it left), links
 * each entry in the database with `linkHash`'s formula over the content hash core computed,
 * inserts the entries and moves the head. The entries travel as one JSON array read by
 * `json_to_recordset`, and their content hashes as one hex string read 32 bytes at a time by
 * position (constant time per link, where a join per link would read the whole batch; the
 * decoded bytes are a MATERIALIZED CTE, since the generic plan of the prepared statement would
 * otherwise decode the whole string again at every link), so the statement's text is the same
 * whatever the batch size and it is named for drivers that keep it prepared (its plan is then
 * made once per connection). When the partition has no head row yet, nothing is written and no
 * row comes back.
 */
export function chainedInsert(
  { dialect, table, heads, changedKeys, placeholder }: SqlTarget,
  chain: string,
  entries: readonly ChainInput[],
  batched: boolean,
): Statement {
  const q = dialect.quote;
  const b = new Binds(placeholder);
  const columns = ENTRY_COLUMNS.map((c) => c.name);
  if (batched) columns.push('batch_id');
  const json = (name: string) => ENTRY_COLUMNS.find((c) => c.name === name)?.type === 'json';
  const keyed = entries.some((e) => changedKeysOf(e.changes).length > 0);
  const recordType = [
    `${q('n')} bigint`,
    ...columns.map((c) => `${q(c)} ${json(c) ? 'jsonb' : 'text'}`),
    ...(keyed ? [`${q('keys')} json`] : []),
  ].join(', ');
  const selected = columns
    .map((c) => (c === 'timestamp' ? `CAST(i.${q(c)} AS timestamptz)` : `i.${q(c)}`))
    .join(', ');
  const content = `encode(substring(c.${q('b')} FROM CAST(l.${q('n')} * 32 + 1 AS int) FOR 32), 'hex')`;
  const link = `encode(sha256(convert_to(l.${q('hash')} || CAST(l.${q('seq')} + 1 AS text) || ${content}, 'UTF8')), 'hex')`;
  const chainOf = () => b.add(chain);
  const records = entries.map((e, k) =>
    inputRecord(e, k + 1, dialect.encodeTimestamp(e.timestamp, 'timestamp'), batched, keyed),
  );

  const parts = [
    `WITH RECURSIVE ${q('head')} AS (SELECT ${q('seq')}, ${q('hash')} FROM ${heads} WHERE ${q('chain')} = ${chainOf()} FOR UPDATE)`,
    `${q('input')} AS (SELECT * FROM json_to_recordset(CAST(${b.add(JSON.stringify(records))} AS json)) AS i(${recordType}))`,
    `${q('content')} AS MATERIALIZED (SELECT decode(${b.add(contentHashes(entries))}, 'hex') AS ${q('b')})`,
    `${q('links')} AS (SELECT CAST(0 AS bigint) AS ${q('n')}, ${q('seq')}, CAST(${q('hash')} AS text) AS ${q('prev')}, CAST(${q('hash')} AS text) AS ${q('hash')} FROM ${q('head')} UNION ALL SELECT l.${q('n')} + 1, l.${q('seq')} + 1, l.${q('hash')}, ${link} FROM ${q('links')} l CROSS JOIN ${q('content')} c WHERE l.${q('n')} < length(c.${q('b')}) / 32)`,
    `${q('moved')} AS (UPDATE ${heads} AS h SET ${q('seq')} = l.${q('seq')}, ${q('hash')} = l.${q('hash')} FROM (SELECT ${q('seq')}, ${q('hash')} FROM ${q('links')} ORDER BY ${q('n')} DESC LIMIT 1) l WHERE h.${q('chain')} = ${chainOf()} RETURNING h.${q('seq')})`,
    `${q('inserted')} AS (INSERT INTO ${table} (${[...columns, 'chain', 'seq', 'prev_hash', 'hash'].map(q).join(', ')}) SELECT ${selected}, ${chainOf()}, l.${q('seq')}, l.${q('prev')}, l.${q('hash')} FROM ${q('input')} i JOIN ${q('links')} l ON l.${q('n')} = i.${q('n')} ORDER BY i.${q('n')} RETURNING ${q('id')}, ${q('seq')}, ${q('prev_hash')}, ${q('hash')}, ${q('timestamp')})`,
  ];
  if (keyed) {
    parts.push(
      `${q('keyed')} AS (INSERT INTO ${changedKeys} (${q('entry_id')}, ${q('changed_key')}, ${q('entry_ts')}) SELECT e.${q('id')}, k.${q('key')}, e.${q('timestamp')} FROM ${q('inserted')} e JOIN ${q('head')} h ON true JOIN ${q('input')} i ON i.${q('n')} = e.${q('seq')} - h.${q('seq')} CROSS JOIN LATERAL json_array_elements_text(i.${q('keys')}) AS k(${q('key')}))`,
    );
  }
  const sql = `${parts.join(', ')} SELECT ${q('id')}, ${q('seq')}, ${q('prev_hash')}, ${q('hash')} FROM ${q('inserted')}`;
  return { ...b.statement(sql), name: preparedName(sql) };
}

const HEX_HASH = /^[0-9a-f]{64}$/;

/**
 * The entries' content hashes end to end, as the statement reads them: by position, so each must
 * be exactly 64 hex digits or every later entry would be linked over the wrong bytes.
 */
function contentHashes(entries: readonly ChainInput[]): string {
  let text = '';
  for (const e of entries) {
    if (!HEX_HASH.test(e.contentHash)) {
      throw new TypeError(`contentHash must be 64 lowercase hex digits, got ${e.contentHash}`);
    }
    text += e.contentHash;
  }
  return text;
}

/** One entry as a record of the statement's JSON array: the row's columns, JSON as JSON. */
function inputRecord(
  entry: ChainInput,
  n: number,
  timestamp: string,
  batched: boolean,
  keyed: boolean,
): Record<string, unknown> {
  const record: Record<string, unknown> = {
    n,
    timestamp,
    actor_id: entry.actorId ?? null,
    actor_label: entry.actorLabel ?? null,
    message: entry.message,
    template: entry.template ?? null,
    values: entry.values ?? null,
    tool: entry.tool,
    action: entry.action,
    object_type: entry.objectType ?? null,
    object_id: entry.objectId ?? null,
    changes: entry.changes ?? null,
    metadata: entry.metadata ?? null,
    event_id: entry.eventId ?? null,
  };
  if (batched) record.batch_id = entry.batchId ?? null;
  if (keyed) record.keys = changedKeysOf(entry.changes);
  return record;
}

/** The entries as stored, in input order, from the rows `chainedInsert` returned (any order). */
export function chainedEntries(
  chain: string,
  entries: readonly ChainInput[],
  rows: readonly ChainedInsertRow[],
): EventLog[] {
  let first = Number.POSITIVE_INFINITY;
  for (const row of rows) first = Math.min(first, Number(row.seq));
  const stored: EventLog[] = new Array(entries.length);
  for (const row of rows) {
    const k = Number(row.seq) - first;
    stored[k] = insertedEntry(String(row.id), entries[k] as ChainInput, {
      chain,
      seq: Number(row.seq),
      prev_hash: row.prev_hash,
      hash: row.hash,
    });
  }
  return stored;
}
