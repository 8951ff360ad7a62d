import { CaptureError } from '@eventlog/core';
import { type Model, type ModelStatic, Op, type Transaction, type WhereOptions } from 'sequelize';
import type { Row, RowReader } from './rows';

/** One captured statement between its before and after hook. */
export interface Pending {
  readonly tx: Transaction;
  /** The affected rows before the write, read under its lock. */
  readonly before: Row[];
  /** Reads the rows after the write. */
  readonly after: () => Promise<Row[]>;
  /** The reverted entry's id when the write is a revert. */
  readonly revertOf: string | undefined;
}

/** The attributes the hooks read. */
export interface Columns {
  /** A create, delete or upsert: every tracked attribute (the entry may hold a snapshot). */
  readonly full: readonly string[];
  /** An update of `fields`: the tracked ones among them (and what the templates read), or null when it changes none. */
  written(fields: readonly string[]): readonly string[] | null;
}

/** What the hooks hand to the capture once a statement's after hook ran. */
export type Finish = (pending: Pending) => Promise<void>;

/** The options of a write, as hooks see them (Sequelize's options object, mutable). */
type WriteOptions = Record<string | symbol, unknown> & {
  transaction?: Transaction | null;
  where?: WhereOptions;
};

/** Keys capture sets on a write's options; Sequelize's option clones keep symbol keys. */
export interface Markers {
  /** Set on a bulk statement's options, so the per-instance hooks it runs stay quiet. */
  readonly statement: symbol;
  /** The entry id a revert writes under. */
  readonly revertOf: symbol;
}

type HookFn = (...args: never[]) => Promise<void>;

/**
 * The hooks that capture `model`'s writes: before hooks read the affected rows under the write's
 * lock (and on PostgreSQL narrow a bulk write to the rows locked, so a row committed between the
 * read and the write cannot escape), after hooks read the rows back and call `finish`.
 */
export function captureHooks(
  model: ModelStatic<Model>,
  reader: RowReader,
  columns: Columns,
  markers: Markers,
  finish: Finish,
): Record<string, HookFn> {
  const pending = new WeakMap<object, Pending>();
  const { pk } = reader;

  function txOf(options: WriteOptions, write: string): Transaction {
    const tx = options.transaction;
    if (!tx) {
      throw new CaptureError(
        'no-transaction',
        `${model.name}.${write} is captured and needs a transaction ({ transaction } or Sequelize CLS), so the write and its entries commit together; nothing was written`,
      );
    }
    return tx;
  }

  const start = (
    options: WriteOptions,
    tx: Transaction,
    before: Row[],
    after: Pending['after'],
  ) => {
    pending.set(options, {
      tx,
      before,
      after,
      revertOf: options[markers.revertOf] as string | undefined,
    });
  };

  async function end(options: WriteOptions): Promise<void> {
    const p = pending.get(options);
    if (!p) return;
    pending.delete(options);
    await finish(p);
  }

  /** On PostgreSQL, the write's where narrowed to the rows locked. */
  function narrow(options: WriteOptions, rows: Row[]): void {
    if (!reader.locks) return;
    options.where = { [Op.and]: [options.where ?? {}, reader.whereIds(idsOf(rows))] };
  }

  const idsOf = (rows: Row[]) => rows.map((r) => r[pk]);
  const keyOf = (instance: Model) => ({ [pk]: instance.getDataValue(pk) });
  const full = { attributes: columns.full };

  return {
    async beforeCreate(instance: Model, options: WriteOptions) {
      if (options[markers.statement]) return;
      const tx = txOf(options, 'create');
      // Read lazily: the key exists once the insert ran.
      start(options, tx, [], () => reader.readIds([instance.getDataValue(pk)], tx, full));
    },
    afterCreate: (_instance: Model, options: WriteOptions) => end(options),
    async beforeUpdate(instance: Model, options: WriteOptions) {
      if (options[markers.statement]) return;
      const tx = txOf(options, 'update');
      // save() runs this hook before it finds out that nothing changed; then it writes nothing.
      if (!instance.changed()) return;
      const attributes = columns.written((options.fields as string[] | undefined) ?? []);
      if (!attributes) return;
      const before = await reader.read(keyOf(instance), tx, { attributes, lock: true });
      if (reader.locks) {
        // PostgreSQL: the UPDATE returns the row as stored, parsed by the driver like a read.
        options.returning = true;
        const row = () => Object.fromEntries(attributes.map((a) => [a, instance.getDataValue(a)]));
        start(options, tx, before, async () => (before.length === 0 ? [] : [row()]));
        return;
      }
      start(options, tx, before, () =>
        reader.readIds([instance.getDataValue(pk)], tx, { attributes }),
      );
    },
    afterUpdate: (_instance: Model, options: WriteOptions) => end(options),
    async beforeDestroy(instance: Model, options: WriteOptions) {
      if (options[markers.statement]) return;
      const tx = txOf(options, 'destroy');
      const before = await reader.read(keyOf(instance), tx, { ...full, lock: true });
      start(options, tx, before, async () => []);
    },
    afterDestroy: (_instance: Model, options: WriteOptions) => end(options),
    async beforeBulkCreate(instances: Model[], options: WriteOptions) {
      const tx = txOf(options, 'bulkCreate');
      options[markers.statement] = true;
      let before: Row[] = [];
      if (options.ignoreDuplicates || options.updateOnDuplicate) {
        // The rows a duplicate would touch are found by key, so every record must carry one.
        const ids = instances.map((i) => i.getDataValue(pk));
        if (ids.some((id) => id === undefined || id === null)) {
          throw new CaptureError(
            'no-id',
            `${model.name}.bulkCreate with ignoreDuplicates or updateOnDuplicate is captured only when every record has its ${pk}; nothing was written`,
          );
        }
        if (options.updateOnDuplicate && !conflictsOnKey(model, pk, options)) {
          throw new CaptureError(
            'options',
            `${model.name}.bulkCreate with updateOnDuplicate is captured only when it conflicts on ${pk}: pass conflictAttributes: ['${pk}']; nothing was written`,
          );
        }
        before = await reader.readIds(ids, tx, { ...full, lock: true });
      }
      start(options, tx, before, () =>
        reader.readIds(
          instances.map((i) => i.getDataValue(pk)),
          tx,
          full,
        ),
      );
    },
    afterBulkCreate: (_instances: Model[], options: WriteOptions) => end(options),
    async beforeBulkUpdate(options: WriteOptions) {
      const tx = txOf(options, 'update');
      options[markers.statement] = true;
      const attributes = columns.written(
        Object.keys((options.attributes as Row | undefined) ?? {}),
      );
      if (!attributes) return;
      const before = await reader.read(options.where, tx, { attributes, lock: true });
      narrow(options, before);
      start(options, tx, before, () => reader.readIds(idsOf(before), tx, { attributes }));
    },
    afterBulkUpdate: (options: WriteOptions) => end(options),
    async beforeBulkDestroy(options: WriteOptions) {
      if (options.truncate) {
        throw new CaptureError(
          'options',
          `${model.name}.truncate would delete rows without entries; use destroy({ where: {} }) on a captured model`,
        );
      }
      const tx = txOf(options, 'destroy');
      options[markers.statement] = true;
      // A paranoid model's destroy (without force) only marks rows that are not deleted yet.
      const soft = Boolean(model.options.paranoid) && !options.force;
      const before = await reader.read(options.where, tx, { ...full, lock: true, paranoid: soft });
      narrow(options, before);
      start(options, tx, before, async () => []);
    },
    afterBulkDestroy: (options: WriteOptions) => end(options),
    async beforeUpsert(values: Row, options: WriteOptions) {
      const tx = txOf(options, 'upsert');
      const where = upsertKey(model, pk, values);
      const before = await reader.read(where, tx, { ...full, lock: true });
      start(options, tx, before, () => reader.read(where, tx, full));
    },
    afterUpsert: (_result: unknown, options: WriteOptions) => end(options),
  };
}

/**
 * Whether an `updateOnDuplicate` insert conflicts on the primary key alone: Sequelize picks the
 * model's unique keys before it, and a row updated through another key is one capture would
 * not have read.
 */
function conflictsOnKey(model: ModelStatic<Model>, pk: string, options: WriteOptions): boolean {
  const given = options.conflictAttributes as string[] | undefined;
  if (given) return given.length === 1 && given[0] === pk;
  const m = model as unknown as {
    uniqueKeys: Record<string, { fields: string[] }>;
    _indexes: { unique?: boolean }[];
  };
  return (
    Object.values(m.uniqueKeys).every((k) => k.fields.length === 0) &&
    !m._indexes.some((i) => i.unique)
  );
}

/**
 * The row an upsert of `values` lands on: by primary key when given, else by every unique key
 * whose fields are all in `values`. Without one, capture cannot know the row: a `CaptureError`.
 */
function upsertKey(model: ModelStatic<Model>, pk: string, values: Row): WhereOptions {
  if (values[pk] !== undefined && values[pk] !== null) return { [pk]: values[pk] };
  const attributeOf = new Map(
    Object.entries(model.rawAttributes).map(([name, a]) => [a.field ?? name, name]),
  );
  const keys: Row[] = [];
  const unique = (model as unknown as { uniqueKeys: Record<string, { fields: string[] }> })
    .uniqueKeys;
  for (const { fields } of Object.values(unique)) {
    const names = fields.map((f) => attributeOf.get(f) ?? f);
    if (names.length > 0 && names.every((n) => values[n] !== undefined && values[n] !== null)) {
      keys.push(Object.fromEntries(names.map((n) => [n, values[n]])));
    }
  }
  if (keys.length === 0) {
    throw new CaptureError(
      'no-id',
      `${model.name}.upsert is captured only with the ${pk} or a whole unique key in its values; nothing was written`,
    );
  }
  return { [Op.or]: keys };
}
