import type { EventLog } from '@eventlog/core';
import type { InsertOptions } from '@eventlog/core/storage';
import {
  chainHeadsTableName,
  changedKeysTableName,
  dollarNumber,
  eventIdsTableName,
  type SqlDialect,
  type SqlEventLogStorage,
  searchTableName,
  sqlStorage,
} from '@eventlog/sql';
import type { Sequelize, Transaction } from 'sequelize';
import { chunkRows, insertChunk } from './insert';
import { defineEventLogModel, type EventLogModel, type EventLogModelOptions } from './model';
import { driverRead } from './read';
import { dialectOfSequelize, type SequelizeSession, sequelizeSession } from './session';

/** Options of `sequelizeStorage`. */
export type SequelizeStorageOptions = EventLogModelOptions;

/**
 * The storage port on Sequelize, with tamper evidence (`ChainStorage`); `insert` and
 * `appendChained` accept the caller's Sequelize `Transaction`.
 */
export type SequelizeEventLogStorage = SqlEventLogStorage<Transaction> & {
  findByEventId(eventId: string, options?: InsertOptions<Transaction>): Promise<EventLog | null>;
  /** The event log model, for the app's own queries. */
  readonly model: EventLogModel;
};

/** The transaction a CLS namespace (`Sequelize.useCLS`) holds for the current async context. */
export function clsTransaction(sequelize: Sequelize): Transaction | undefined {
  const cls = (sequelize.constructor as { _cls?: { get(key: string): unknown } })._cls;
  return cls?.get('transaction') as Transaction | undefined;
}

/** `"schema"."table"` or `"table"`, from the model; `rename` maps the bare table name. */
function qualifiedTable(model: EventLogModel, dialect: SqlDialect, rename = (t: string) => t) {
  const name = model.getTableName() as string | { schema?: string; tableName: string };
  if (typeof name === 'string') return dialect.quote(rename(name));
  const table = dialect.quote(rename(name.tableName));
  return name.schema ? `${dialect.quote(name.schema)}.${table}` : table;
}

/**
 * An `EventLogStorage` on a Sequelize v6 instance (PostgreSQL or SQLite). It defines the event
 * log model (`defineEventLogModel`) unless one of that name exists; the table must exist
 * (`createEventLogTable` or `eventLogMigration`). Every statement but the inserts comes from
 * `@eventlog/sql`, run through `sequelize.query`. Writes join `{ transaction }` when given, else
 * a CLS-managed transaction when the app uses `Sequelize.useCLS`. Driver errors propagate
 * unchanged; `EventLogService` wraps them into `StorageError`.
 *
 * Tamper evidence (`capabilities.integrity`) needs the chain columns and the chain-heads table,
 * which `createEventLogTable` and `eventLogMigration` create (and `eventLogIntegrityMigration`
 * adds to an older table); tables without them keep working while the service's `integrity`
 * option is off. SQLite allows one writer at a time: concurrent chained appends from several
 * connections need a busy timeout (`PRAGMA busy_timeout`) or they fail with SQLITE_BUSY.
 */
export function sequelizeStorage(
  sequelize: Sequelize,
  options: SequelizeStorageOptions = {},
): SequelizeEventLogStorage {
  const dialect = dialectOfSequelize(sequelize);
  const model = defineEventLogModel(sequelize, options);
  const table = qualifiedTable(model, dialect);
  const root = sequelizeSession(sequelize, undefined);
  const storage = sqlStorage<Transaction, SequelizeSession>({
    name: 'sequelize',
    target: {
      dialect,
      table,
      heads: qualifiedTable(model, dialect, chainHeadsTableName),
      changedKeys: qualifiedTable(model, dialect, changedKeysTableName),
      eventIds: qualifiedTable(model, dialect, eventIdsTableName),
      ...(dialect.kind === 'sqlite' && {
        searchTable: {
          quoted: qualifiedTable(model, dialect, searchTableName),
          name: searchTableName(model.getTableName() as string),
        },
      }),
      placeholder: dollarNumber,
    },
    root: Object.assign(root, { read: driverRead(sequelize, dialect.kind, (s) => root.query(s)) }),
    session: (given) => sequelizeSession(sequelize, given ?? clsTransaction(sequelize)),
    singleStatement: (rows) => chunkRows([], rows, dialect.kind).length === 1,
    async write(session, entries, rows) {
      const stored: EventLog[] = [];
      for (const chunk of chunkRows(entries, rows, dialect.kind)) {
        stored.push(...(await insertChunk(session, table, dialect, chunk)));
      }
      return stored;
    },
  });
  return Object.assign(storage, { model });
}
