/**
 * The PostgreSQL layout partitioned by month: the log table and its changed-keys table are range
 * partitioned on the entry timestamp with the same monthly bounds, each with a DEFAULT partition
 * that takes any row whose month has no partition yet (a write never fails for want of one).
 * A unique index of a partitioned table must hold the partition key, so `event_id` is kept unique
 * by a side table, `<table>_event_ids`, which row triggers fill and empty in the statement's own
 * transaction, whoever writes (the adapters, a migration script, raw SQL).
 *
 * Everything here is DDL text, shared by every adapter that speaks PostgreSQL.
 */

import { ConfigurationError } from '@eventlog/core';
import {
  CHANGED_KEY_COLUMNS,
  type ColumnType,
  chainHeadsTableName,
  changedKeyIndex,
  changedKeysTableName,
  HEAD_COLUMNS,
  type SqlColumn,
  TABLE_COLUMNS,
  tableIndexes,
} from './layout';
import { Binds, type Placeholder, type Statement } from './statement';

/** The side table that keeps `event_id` unique across the partitions of `table`. */
export const eventIdsTableName = (table: string): string => `${table}_event_ids`;

const POSTGRES_TYPES: Record<ColumnType, string> = {
  id: 'bigserial',
  timestamp: 'timestamptz(6)',
  key: 'varchar(255)',
  hash: 'varchar(64)',
  isoTime: 'varchar(30)',
  text: 'text',
  json: 'jsonb',
  bigint: 'bigint',
};

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A possibly schema-qualified name, quoted part by part (as knex quotes `schema.table`). */
export const qualifiedName = (name: string): string => name.split('.').map(ident).join('.');

/** `name` with `suffix` added to its last part, refused past PostgreSQL's 63-byte names. */
function suffixed(name: string, suffix: string): string {
  const full = `${name}${suffix}`;
  const last = full.slice(full.lastIndexOf('.') + 1);
  if (Buffer.byteLength(last) > 63) {
    throw new ConfigurationError(
      `tableName "${name}" is too long for partitions: "${last}" passes PostgreSQL's 63 bytes`,
    );
  }
  return full;
}

/** The first instant of the UTC month holding `date`. */
export const monthStart = (date: Date): Date =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));

/** The first instant of the UTC month `n` months after the one starting at `month`. */
export const addMonths = (month: Date, n: number): Date =>
  new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + n, 1));

/** `YYYYMM` of a month start, as partition names carry it. */
const monthTag = (month: Date): string =>
  `${String(month.getUTCFullYear()).padStart(4, '0')}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;

/** A timestamptz literal of a month start. */
const literal = (month: Date): string => `'${month.toISOString()}'`;

function columnDdl(column: SqlColumn): string {
  const type = POSTGRES_TYPES[column.type];
  const extras = `${column.nullable ? '' : ' NOT NULL'}${column.defaultZero ? ' DEFAULT 0' : ''}`;
  return `${ident(column.name)} ${type}${extras}${column.primaryKey ? ' PRIMARY KEY' : ''}`;
}

/** The partitioned parents of `table`: the log table and its changed-keys table, with their keys. */
export function partitionedParents(table: string): { table: string; key: string }[] {
  return [
    { table, key: 'timestamp' },
    { table: changedKeysTableName(table), key: 'entry_ts' },
  ];
}

/**
 * The statements creating the partitioned layout of `table` (no partitions but the DEFAULT ones):
 * the log table (primary key `(id, timestamp)`; every index of the plain layout, `event_id` and
 * `(chain, seq)` not unique there), the chain-heads table, the changed-keys table, the event-ids
 * table and its triggers.
 * `(chain, seq)` stays unique through the chain-heads lock every append takes.
 */
export function partitionedTableDdl(table: string): string[] {
  const t = qualifiedName(table);
  const keys = changedKeysTableName(table);
  const eventIds = qualifiedName(eventIdsTableName(table));
  const sync = qualifiedName(suffixed(table, '_event_ids_sync'));
  // The primary key is `(id, timestamp)`: it must hold the partition key.
  const columns = TABLE_COLUMNS.map((c) => columnDdl({ ...c, primaryKey: undefined })).join(', ');
  const statements = [
    `CREATE TABLE ${t} (${columns}, PRIMARY KEY ("id", "timestamp")) PARTITION BY RANGE ("timestamp")`,
    ...tableIndexes(table).map(
      (index) =>
        `CREATE INDEX ${ident(index.name)} ON ${t} (${index.columns.map(ident).join(', ')})`,
    ),
    `CREATE TABLE ${qualifiedName(chainHeadsTableName(table))} (${HEAD_COLUMNS.map(columnDdl).join(', ')})`,
    `CREATE TABLE ${qualifiedName(keys)} (${CHANGED_KEY_COLUMNS.map(columnDdl).join(', ')}) PARTITION BY RANGE ("entry_ts")`,
    `CREATE INDEX ${ident(changedKeyIndex(table).name)} ON ${qualifiedName(keys)} (${changedKeyIndex(table).columns.map(ident).join(', ')})`,
    `CREATE TABLE ${eventIds} ("event_id" varchar(255) PRIMARY KEY, "entry_id" bigint NOT NULL, "entry_ts" timestamptz(6) NOT NULL)`,
    `CREATE INDEX ${ident(suffixed(eventIdsTableName(table).split('.').pop() as string, '_ts_idx'))} ON ${eventIds} ("entry_ts")`,
    // A moved row (its timestamp updated into another partition) fires DELETE then INSERT.
    `CREATE FUNCTION ${sync}() RETURNS trigger LANGUAGE plpgsql AS $sync$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD."event_id" IS NOT NULL THEN
    DELETE FROM ${eventIds} WHERE "event_id" = OLD."event_id" AND "entry_id" = OLD."id";
  END IF;
  IF TG_OP <> 'DELETE' AND NEW."event_id" IS NOT NULL THEN
    INSERT INTO ${eventIds} ("event_id", "entry_id", "entry_ts") VALUES (NEW."event_id", NEW."id", NEW."timestamp");
  END IF;
  RETURN NULL;
END $sync$`,
    `CREATE TRIGGER "event_ids_insert" AFTER INSERT ON ${t} FOR EACH ROW WHEN (NEW."event_id" IS NOT NULL) EXECUTE FUNCTION ${sync}()`,
    `CREATE TRIGGER "event_ids_delete" AFTER DELETE ON ${t} FOR EACH ROW WHEN (OLD."event_id" IS NOT NULL) EXECUTE FUNCTION ${sync}()`,
    `CREATE TRIGGER "event_ids_update" AFTER UPDATE OF "event_id", "id", "timestamp" ON ${t} FOR EACH ROW EXECUTE FUNCTION ${sync}()`,
  ];
  for (const parent of partitionedParents(table)) {
    const name = qualifiedName(suffixed(parent.table, '_default'));
    statements.push(`CREATE TABLE ${name} PARTITION OF ${qualifiedName(parent.table)} DEFAULT`);
  }
  return statements;
}

/** The statements dropping the partitioned layout of `table` (its partitions go with it). */
export function dropPartitionedDdl(table: string): string[] {
  return [
    `DROP TABLE IF EXISTS ${[table, chainHeadsTableName(table), changedKeysTableName(table), eventIdsTableName(table)].map(qualifiedName).join(', ')}`,
    `DROP FUNCTION IF EXISTS ${qualifiedName(suffixed(table, '_event_ids_sync'))}()`,
  ];
}

/**
 * The statements adding the partition of the month starting at `month` to `parent` (partitioned
 * on `key`): rows of that month waiting in the DEFAULT partition move into it, in the caller's
 * transaction. The new table is filled before it is attached, so the triggers see no move; the
 * event-ids rows the DEFAULT's delete removed are written back once it is attached.
 */
export function addMonthDdl(
  parent: { table: string; key: string },
  month: Date,
  eventIds: string | null,
): string[] {
  const to = addMonths(month, 1);
  const p = qualifiedName(parent.table);
  const part = qualifiedName(suffixed(parent.table, `_p${monthTag(month)}`));
  const fallback = qualifiedName(suffixed(parent.table, '_default'));
  const range = `${ident(parent.key)} >= ${literal(month)} AND ${ident(parent.key)} < ${literal(to)}`;
  const statements = [
    `CREATE TABLE ${part} (LIKE ${p} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
    `INSERT INTO ${part} SELECT * FROM ONLY ${fallback} WHERE ${range}`,
    `DELETE FROM ONLY ${fallback} WHERE ${range}`,
    `ALTER TABLE ${p} ATTACH PARTITION ${part} FOR VALUES FROM (${literal(month)}) TO (${literal(to)})`,
  ];
  if (eventIds !== null) {
    statements.push(
      `INSERT INTO ${qualifiedName(eventIds)} ("event_id", "entry_id", "entry_ts") SELECT "event_id", "id", "timestamp" FROM ${part} WHERE "event_id" IS NOT NULL`,
    );
  }
  return statements;
}

/** One partition of a partitioned table, as `partitionsOf` reads it. */
export interface PartitionRow {
  /** The position, from 1, of its parent among the tables `partitionsOf` was given. */
  parent: number;
  schema: string;
  name: string;
  /** Null for the DEFAULT partition and for MINVALUE / MAXVALUE bounds. */
  lower: Date | null;
  upper: Date | null;
}

/**
 * The partitions of the tables named `quotedTables` with their bounds, read from the catalog in
 * one statement, by parent then upper bound: partitions made by `pg_partman` or by hand count as
 * much as the adapter's own. None for a table that is not partitioned.
 */
export function partitionsOf(
  quotedTables: string | readonly string[],
  placeholder: Placeholder,
): Statement {
  const b = new Binds(placeholder);
  const parents = [quotedTables].flat().map((t) => `${b.add(t)}::text`);
  const bound = (side: string) =>
    `(regexp_match(pg_get_expr(c.relpartbound, c.oid), '${side} \\(''([^'']*)''\\)'))[1]::timestamptz`;
  return b.statement(
    `SELECT p.ord::int AS "parent", n.nspname AS "schema", c.relname AS "name", ${bound('FROM')} AS "lower", ${bound('TO')} AS "upper" FROM unnest(ARRAY[${parents.join(', ')}]) WITH ORDINALITY AS p(name, ord) JOIN pg_inherits i ON i.inhparent = to_regclass(p.name) JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace ORDER BY 1, 5`,
  );
}

/** One row when the table named `quotedTable` is partitioned, none otherwise. */
export function isPartitioned(quotedTable: string, placeholder: Placeholder): Statement {
  const b = new Binds(placeholder);
  return b.statement(
    `SELECT 1 AS "partitioned" FROM pg_partitioned_table WHERE partrelid = to_regclass(${b.add(quotedTable)})`,
  );
}

/** The distinct months (UTC, as timestamptz) of the rows waiting in the DEFAULT partition. */
export function defaultMonthsSql(parent: { table: string; key: string }): string {
  const fallback = qualifiedName(suffixed(parent.table, '_default'));
  return `SELECT DISTINCT date_trunc('month', ${ident(parent.key)}, 'UTC') AS "month" FROM ONLY ${fallback}`;
}
