import { type Changes, type JsonObject, toTimestampKey } from '@eventlog/core';
import { DataTypes, type Model, type ModelAttributeColumnOptions } from 'sequelize';
import type { DialectKind } from './dialect';

/** The table name used when none is given; the knex adapter's default too. */
export const DEFAULT_TABLE_NAME = 'eventlog';
/** The model name used when none is given. */
export const DEFAULT_MODEL_NAME = 'EventLog';

/** Options shared by `sequelizeStorage`, `defineEventLogModel` and the migration. */
export interface EventLogTableOptions {
  /** Table name; default `"eventlog"`. */
  tableName?: string;
}

/** Attributes of the event log model, as its instances hold them (camelCase; columns are snake_case). */
export interface EventLogAttributes {
  /** A string on PostgreSQL (bigint), a number on SQLite. */
  id: string | number;
  timestamp: Date;
  actorId: string | null;
  actorLabel: string | null;
  message: string;
  template: string | null;
  values: JsonObject | null;
  tool: string;
  action: string;
  objectType: string | null;
  objectId: string | null;
  changes: Changes | null;
  metadata: JsonObject | null;
  eventId: string | null;
  /** Hash chain fields (tamper evidence): null on entries written with integrity off. */
  chain: string | null;
  /** A string on PostgreSQL (bigint), a number on SQLite; null when unchained. */
  seq: string | number | null;
  prevHash: string | null;
  hash: string | null;
}

/** What `Model.create` needs: everything but the generated id; nullable columns may be omitted. */
export type EventLogCreationAttributes = Pick<
  EventLogAttributes,
  'timestamp' | 'message' | 'tool' | 'action'
> &
  Partial<Omit<EventLogAttributes, 'id' | 'timestamp' | 'message' | 'tool' | 'action'>>;

type Column = ModelAttributeColumnOptions<Model> & { field: string };

/**
 * SQLite has no JSON or timestamp type, so the model converts: JSON as text, the timestamp as
 * fixed-width ISO-8601 text with microseconds (the knex adapter's format), so model reads and
 * writes see objects and Dates like on PostgreSQL.
 */
function sqliteJson(field: string): Column {
  return {
    field,
    type: DataTypes.TEXT,
    allowNull: true,
    get(this: Model) {
      const raw = this.getDataValue(field as never) as unknown;
      return typeof raw === 'string' ? JSON.parse(raw) : (raw ?? null);
    },
    set(this: Model, value: unknown) {
      this.setDataValue(
        field as never,
        (value === null || value === undefined ? null : JSON.stringify(value)) as never,
      );
    },
  };
}

const text = (field: string, allowNull = true): Column => ({
  field,
  type: DataTypes.TEXT,
  allowNull,
});
const short = (field: string, allowNull = true): Column => ({
  field,
  type: DataTypes.STRING(255),
  allowNull,
});

/**
 * The columns, keyed by model attribute, per dialect: PostgreSQL `bigserial`, `timestamptz`
 * (microseconds) and `jsonb`; SQLite integer ids, `varchar(27)` timestamps and JSON text. The
 * same layout `createEventLogTable` of `@eventlog/adapter-knex` creates.
 */
export function eventLogColumns(kind: DialectKind): Record<keyof EventLogAttributes, Column> {
  const pg = kind === 'postgres';
  const json = (field: string): Column =>
    pg ? { field, type: DataTypes.JSONB, allowNull: true } : sqliteJson(field);
  return {
    id: {
      field: 'id',
      type: pg ? DataTypes.BIGINT : DataTypes.INTEGER,
      autoIncrement: true,
      primaryKey: true,
      allowNull: false,
    },
    timestamp: pg
      ? { field: 'timestamp', type: DataTypes.DATE(6), allowNull: false }
      : {
          field: 'timestamp',
          type: DataTypes.STRING(27),
          allowNull: false,
          get(this: Model) {
            const raw = this.getDataValue('timestamp' as never) as unknown;
            return typeof raw === 'string' ? new Date(raw) : raw;
          },
          set(this: Model, value: Date) {
            this.setDataValue('timestamp' as never, toTimestampKey(value, 'timestamp') as never);
          },
        },
    actorId: short('actor_id'),
    actorLabel: text('actor_label'),
    message: text('message', false),
    template: text('template'),
    values: json('values'),
    tool: short('tool', false),
    action: short('action', false),
    objectType: short('object_type'),
    objectId: short('object_id'),
    changes: json('changes'),
    metadata: json('metadata'),
    eventId: short('event_id'),
    ...chainColumns(),
  };
}

/**
 * The hash chain columns, as the knex adapter defines them: all null when integrity is off.
 * `seq` is a bigint, so PostgreSQL hands it back as a string.
 */
function chainColumns(): Record<'chain' | 'seq' | 'prevHash' | 'hash', Column> {
  return {
    chain: short('chain'),
    seq: { field: 'seq', type: DataTypes.BIGINT, allowNull: true },
    prevHash: { field: 'prev_hash', type: DataTypes.STRING(64), allowNull: true },
    hash: { field: 'hash', type: DataTypes.STRING(64), allowNull: true },
  };
}

/** The chain columns (keyed by column name) that an upgrade adds to a table created without them. */
export function chainColumnsByField(): Record<string, ModelAttributeColumnOptions<Model>> {
  const out: Record<string, ModelAttributeColumnOptions<Model>> = {};
  for (const { field, ...column } of Object.values(chainColumns())) out[field] = column;
  return out;
}

/** The table of chain heads (one row per partition) that goes with `tableName`; knex's name. */
export const chainHeadsTableName = (tableName: string): string => `${tableName}_chain_heads`;

/**
 * The chain-heads table's columns, keyed by column name, as the knex adapter creates them: the
 * last entry (`seq`, `hash`), where verification starts after a purge (`start_seq`,
 * `start_hash`) and the latest checkpoint (`checkpoint_at` as ISO 8601 text, exactly what was
 * signed). Appends lock their partition's row.
 */
export function chainHeadColumns(): Record<string, ModelAttributeColumnOptions<Model>> {
  const bigint = { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 };
  const hash = (allowNull: boolean) => ({ type: DataTypes.STRING(64), allowNull });
  return {
    chain: { type: DataTypes.STRING(255), primaryKey: true, allowNull: false },
    seq: bigint,
    hash: hash(false),
    start_seq: bigint,
    start_hash: hash(false),
    checkpoint_seq: { type: DataTypes.BIGINT, allowNull: true },
    checkpoint_hash: hash(true),
    checkpoint_at: { type: DataTypes.STRING(30), allowNull: true },
  };
}

/** One index of the table; `fields` are column names. */
export interface EventLogIndex {
  name: string;
  fields: string[];
  unique: boolean;
}

const indexName = (table: string, suffix: string) =>
  `${table.replace(/\W/g, '_')}_${suffix}`.slice(0, 63);

/**
 * The indexes, named as the knex adapter names them: one per list route, each ending in
 * `(timestamp, id)` so keyset pages are index range scans, and `event_id` unique (idempotency).
 */
export function eventLogIndexes(tableName: string): EventLogIndex[] {
  return [
    { name: indexName(tableName, 'event_id_key'), fields: ['event_id'], unique: true },
    {
      name: indexName(tableName, 'object_idx'),
      fields: ['object_type', 'object_id', 'timestamp', 'id'],
      unique: false,
    },
    { name: indexName(tableName, 'tool_idx'), fields: ['tool', 'timestamp', 'id'], unique: false },
    {
      name: indexName(tableName, 'actor_idx'),
      fields: ['actor_id', 'timestamp', 'id'],
      unique: false,
    },
    { name: indexName(tableName, 'timestamp_idx'), fields: ['timestamp', 'id'], unique: false },
    chainSeqIndex(tableName),
  ];
}

/** Unique `(chain, seq)`: a forked chain fails to commit instead of being stored. */
export function chainSeqIndex(tableName: string): EventLogIndex {
  return { name: indexName(tableName, 'chain_seq_key'), fields: ['chain', 'seq'], unique: true };
}
