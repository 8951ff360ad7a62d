import { type Changes, type JsonObject, toTimestampKey } from '@eventlog/core';
import {
  CHAIN_COLUMNS,
  type DialectKind,
  HEAD_COLUMNS,
  HISTORY_COLUMNS,
  type SqlColumn,
  TABLE_COLUMNS,
} from '@eventlog/sql';
import { DataTypes, type Model, type ModelAttributeColumnOptions } from 'sequelize';

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
  /** The batch of one action; null when written alone. */
  batchId: string | null;
}

/** What `Model.create` needs: everything but the generated id; nullable columns may be omitted. */
export type EventLogCreationAttributes = Pick<
  EventLogAttributes,
  'timestamp' | 'message' | 'tool' | 'action'
> &
  Partial<Omit<EventLogAttributes, 'id' | 'timestamp' | 'message' | 'tool' | 'action'>>;

type Column = ModelAttributeColumnOptions<Model>;

/** The Sequelize type of a layout column in one dialect (`@eventlog/sql` lists the SQL types). */
function typeOf(column: SqlColumn, kind: DialectKind): Column['type'] {
  switch (column.type) {
    case 'id':
      return kind === 'sqlite' ? DataTypes.INTEGER : DataTypes.BIGINT;
    case 'timestamp':
      return kind === 'sqlite' ? DataTypes.STRING(27) : DataTypes.DATE(6);
    case 'key':
      return DataTypes.STRING(255);
    case 'hash':
      return DataTypes.STRING(64);
    case 'isoTime':
      return DataTypes.STRING(30);
    case 'text':
      return DataTypes.TEXT;
    case 'json':
      return kind === 'postgres' ? DataTypes.JSONB : DataTypes.TEXT;
    case 'bigint':
      return DataTypes.BIGINT;
  }
}

/** A layout column as `queryInterface.createTable` takes it. */
function tableColumn(column: SqlColumn, kind: DialectKind): Column {
  const out: Column = { type: typeOf(column, kind), allowNull: column.nullable };
  if (column.primaryKey) out.primaryKey = true;
  if (column.type === 'id') out.autoIncrement = true;
  if (column.defaultZero) out.defaultValue = 0;
  return out;
}

/** Layout columns keyed by column name, as `createTable` and `addColumn` take them. */
export function tableColumns(
  columns: readonly SqlColumn[],
  kind: DialectKind,
): Record<string, Column> {
  return Object.fromEntries(columns.map((c) => [c.name, tableColumn(c, kind)]));
}

/** The log table's, the chain columns', the heads table's and the history columns for `kind`. */
export const layoutColumns = (kind: DialectKind) => ({
  table: tableColumns(TABLE_COLUMNS, kind),
  chain: tableColumns(CHAIN_COLUMNS, kind),
  heads: tableColumns(HEAD_COLUMNS, kind),
  history: tableColumns(HISTORY_COLUMNS, kind),
});

const camelCase = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * SQLite has no JSON or timestamp type, so the model converts: JSON as text, the timestamp as
 * the fixed-width text key, so model reads and writes see objects and Dates as on PostgreSQL.
 */
function sqliteAccessors(column: SqlColumn): Partial<Column> {
  const field = column.name as never;
  if (column.type === 'timestamp') {
    return {
      get(this: Model) {
        const raw = this.getDataValue(field) as unknown;
        return typeof raw === 'string' ? new Date(raw) : raw;
      },
      set(this: Model, value: Date) {
        this.setDataValue(field, toTimestampKey(value, 'timestamp') as never);
      },
    };
  }
  if (column.type !== 'json') return {};
  return {
    get(this: Model) {
      const raw = this.getDataValue(field) as unknown;
      return typeof raw === 'string' ? JSON.parse(raw) : (raw ?? null);
    },
    set(this: Model, value: unknown) {
      const text = value === null || value === undefined ? null : JSON.stringify(value);
      this.setDataValue(field, text as never);
    },
  };
}

/** The model attributes (camelCase, each with its snake_case `field`) of the layout's columns. */
export function modelAttributes(kind: DialectKind): Record<keyof EventLogAttributes, Column> {
  const attributes: Record<string, Column> = {};
  for (const column of TABLE_COLUMNS) {
    attributes[camelCase(column.name)] = {
      ...tableColumn(column, kind),
      field: column.name,
      ...(kind === 'sqlite' ? sqliteAccessors(column) : {}),
    };
  }
  return attributes as Record<keyof EventLogAttributes, Column>;
}
