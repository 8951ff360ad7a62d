import {
  type FindOptions,
  type Model,
  type ModelStatic,
  Op,
  type Transaction,
  type WhereOptions,
} from 'sequelize';
import { CaptureError } from './core-shim';

/** A row as capture reads it: attribute name to the value Sequelize parsed. */
export type Row = Record<string, unknown>;

/** Ids per `IN (...)` list when rows are read back by id, so no statement grows unbounded. */
const IDS_PER_READ = 5000;

/** What the reads of one captured model need: its key, its columns and its dialect's locking. */
export interface RowReader {
  readonly model: ModelStatic<Model>;
  /** The single-column primary key attribute. */
  readonly pk: string;
  /** PostgreSQL: reads lock with `FOR UPDATE`; SQLite's transaction lock serialises writers. */
  readonly locks: boolean;
  /** Reads the rows `where` matches, ordered by key (`lock`: `FOR UPDATE` on PostgreSQL). */
  read(where: WhereOptions | undefined, tx: Transaction, extra?: ReadExtra): Promise<Row[]>;
  /** Reads the rows of these ids, ordered by key; missing ids are absent. */
  readIds(ids: readonly unknown[], tx: Transaction, extra?: ReadExtra): Promise<Row[]>;
}

/** Options of the caller's write that its reads repeat. */
export interface ReadExtra {
  /** Lock the rows read until the transaction ends (PostgreSQL `FOR UPDATE`). */
  lock?: boolean;
  /** Skip soft-deleted rows (a paranoid model's destroy without `force`). */
  paranoid?: boolean;
  logging?: FindOptions['logging'];
}

/**
 * The reader of `model`, selecting its primary key and `attributes`. A composite or missing
 * primary key is a `CaptureError`: entries name one object by one id.
 */
export function rowReader(model: ModelStatic<Model>, attributes: readonly string[]): RowReader {
  const keys = model.primaryKeyAttributes;
  if (keys.length !== 1) {
    throw new CaptureError(
      'options',
      `captureModel needs a single-column primary key; ${model.name} has ${keys.length}`,
    );
  }
  const pk = keys[0] as string;
  const selected = [...new Set([pk, ...attributes])];
  const locks = model.sequelize?.getDialect() === 'postgres';
  // unscoped: the where a write hands its hooks already holds its scope; hooks off: the app's
  // find hooks must not change what capture sees.
  const base = model.unscoped();
  const find = (where: WhereOptions | undefined, tx: Transaction, extra: ReadExtra) =>
    base
      .findAll({
        where,
        attributes: selected,
        transaction: tx,
        lock: extra.lock && locks ? true : undefined,
        order: [[pk, 'ASC']],
        paranoid: extra.paranoid ?? false,
        hooks: false,
        logging: extra.logging,
      } as FindOptions)
      .then((rows) => rows.map((r) => ({ ...r.dataValues }) as Row));
  return {
    model,
    pk,
    locks,
    read: (where, tx, extra = {}) => find(where, tx, extra),
    async readIds(ids, tx, extra = {}) {
      const rows: Row[] = [];
      for (let i = 0; i < ids.length; i += IDS_PER_READ) {
        const chunk = ids.slice(i, i + IDS_PER_READ);
        rows.push(...(await find({ [pk]: { [Op.in]: chunk } }, tx, extra)));
      }
      return rows;
    },
  };
}
