import { CaptureError } from '@eventlog/core';
import {
  type FindOptions,
  type Model,
  type ModelStatic,
  Op,
  Sequelize,
  type Transaction,
  type WhereOptions,
} from 'sequelize';

/** A row as capture reads it: attribute name to the value Sequelize's types parse it to. */
export type Row = Record<string, unknown>;

/** Ids per `IN (...)` list when rows are read back by id, so no statement grows unbounded. */
const IDS_PER_READ = 5000;

/** Options of a read. */
export interface ReadOptions {
  /** The attributes to select (the key is always selected). */
  attributes: readonly string[];
  /** Lock the rows read until the transaction ends (PostgreSQL `FOR UPDATE`). */
  lock?: boolean;
  /** Skip soft-deleted rows (a paranoid model's destroy without `force`). */
  paranoid?: boolean;
}

/** The reads of one captured model: its key, and its dialect's locking and parsing. */
export interface RowReader {
  /** The single-column primary key attribute. */
  readonly pk: string;
  /** PostgreSQL: reads lock with `FOR UPDATE`; SQLite's transaction lock serialises writers. */
  readonly locks: boolean;
  /** Reads the rows `where` matches, ordered by key. */
  read(where: WhereOptions | undefined, tx: Transaction, options: ReadOptions): Promise<Row[]>;
  /** Reads the rows of these ids, ordered by key per chunk; missing ids are absent. */
  readIds(ids: readonly unknown[], tx: Transaction, options: ReadOptions): Promise<Row[]>;
  /** A where matching exactly the rows of these ids. */
  whereIds(ids: readonly unknown[]): WhereOptions;
}

type Parse = (value: unknown, options: { timezone?: string }) => unknown;

/**
 * SQLite hands back text for dates and JSON: the parsers Sequelize applies to instances
 * (the dialect type's static `parse`), per attribute. PostgreSQL's driver parses already.
 */
function parsersOf(model: ModelStatic<Model>): Map<string, Parse> {
  const parsers = new Map<string, Parse>();
  if (model.sequelize?.getDialect() !== 'sqlite') return parsers;
  for (const [name, attribute] of Object.entries(model.rawAttributes)) {
    const parse = (attribute.type as { constructor: { parse?: Parse } }).constructor.parse;
    if (parse) parsers.set(name, parse);
  }
  return parsers;
}

/**
 * The reader of `model`. Rows are read raw (no instances: a bulk write reads thousands) and
 * parsed like instances are. A composite or missing primary key is a `CaptureError`: entries
 * name one object by one id.
 */
export function rowReader(model: ModelStatic<Model>): RowReader {
  const keys = model.primaryKeyAttributes;
  if (keys.length !== 1) {
    throw new CaptureError(
      'options',
      `captureModel needs a single-column primary key; ${model.name} has ${keys.length}`,
    );
  }
  const pk = keys[0] as string;
  const locks = model.sequelize?.getDialect() === 'postgres';
  const parsers = parsersOf(model);
  const timezone = {
    timezone: (model.sequelize as unknown as { options: { timezone?: string } }).options.timezone,
  };
  // unscoped: the where a write hands its hooks already holds its scope; hooks off: the app's
  // find hooks must not change what capture sees.
  const base = model.unscoped();
  async function find(where: WhereOptions | undefined, tx: Transaction, options: ReadOptions) {
    const attributes = [...new Set([pk, ...options.attributes])];
    const rows = (await base.findAll({
      where,
      attributes,
      transaction: tx,
      lock: options.lock && locks ? true : undefined,
      order: [[pk, 'ASC']],
      paranoid: options.paranoid ?? false,
      hooks: false,
      raw: true,
    } as FindOptions)) as unknown as Row[];
    const parsing = attributes.filter((a) => parsers.has(a));
    if (parsing.length === 0) return rows;
    for (const row of rows) {
      for (const name of parsing) {
        const value = row[name];
        if (value !== null && value !== undefined)
          row[name] = (parsers.get(name) as Parse)(value, timezone);
      }
    }
    return rows;
  }
  const column = model.rawAttributes[pk]?.field ?? pk;
  function whereIds(ids: readonly unknown[]): WhereOptions {
    // PostgreSQL plans `IN (<thousands of literals>)` slower than it runs the write itself;
    // one array literal, `= ANY('{…}')`, is one constant to parse and plan.
    if (locks && ids.length > 0 && ids.every((id) => Number.isSafeInteger(id))) {
      return Sequelize.where(
        Sequelize.col(column),
        Op.eq,
        Sequelize.fn('ANY', Sequelize.literal(`'{${ids.join(',')}}'`)),
      );
    }
    return { [pk]: { [Op.in]: ids } };
  }
  return {
    pk,
    locks,
    read: find,
    whereIds,
    async readIds(ids, tx, options) {
      const rows: Row[] = [];
      for (let i = 0; i < ids.length; i += IDS_PER_READ) {
        rows.push(...(await find(whereIds(ids.slice(i, i + IDS_PER_READ)), tx, options)));
      }
      return rows;
    },
  };
}
