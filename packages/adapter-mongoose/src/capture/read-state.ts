import type { ClientSession, Model } from 'mongoose';

/** A document as stored, read with the raw shape (`lean`). */
export type StoredDoc = Record<string, unknown> & { _id: unknown };

/** How the write picks its documents, so the read picks the same ones. */
export interface ReadOptions {
  /** Only the first match (updateOne, findOneAndUpdate, deleteOne...). */
  one?: boolean;
  sort?: unknown;
  collation?: unknown;
}

// Paths declared `select: false` are left out of every read unless asked for with `+path`; the
// log needs the whole stored state.
const hiddenPaths = new WeakMap<object, string>();

function projectionOf(model: Model<unknown>): string {
  let projection = hiddenPaths.get(model.schema);
  if (projection === undefined) {
    const hidden: string[] = [];
    model.schema.eachPath((path, type) => {
      if ((type.options as { select?: unknown } | undefined)?.select === false)
        hidden.push(`+${path}`);
    });
    projection = hidden.join(' ');
    hiddenPaths.set(model.schema, projection);
  }
  return projection;
}

/**
 * Reads the documents `filter` matches inside `session`, as stored. The app's own `find`
 * middleware is skipped (`middleware: false`): it may populate, hide or reshape documents, and
 * the log records what the collection holds.
 */
export async function readDocs(
  model: Model<unknown>,
  filter: Record<string, unknown>,
  session: ClientSession,
  options: ReadOptions = {},
): Promise<StoredDoc[]> {
  const query = model
    .find(filter)
    .select(projectionOf(model))
    .session(session)
    .setOptions({ middleware: false })
    .lean<StoredDoc[]>();
  if (options.sort != null) query.sort(options.sort as Record<string, 1 | -1>);
  if (options.collation != null) query.collation(options.collation as { locale: string });
  if (options.one) query.limit(1);
  return query.exec();
}

/** The documents with these `_id`s, keyed by their `_id` as text. */
export async function readByIds(
  model: Model<unknown>,
  ids: readonly unknown[],
  session: ClientSession,
): Promise<Map<string, StoredDoc>> {
  const found = new Map<string, StoredDoc>();
  if (ids.length === 0) return found;
  for (const doc of await readDocs(model, { _id: { $in: ids } }, session)) {
    found.set(idText(doc._id), doc);
  }
  return found;
}

/** An `_id` as a map key: ObjectIds by their hex, other values by their JSON. */
export function idText(id: unknown): string {
  if (typeof id === 'object' && id !== null && 'toHexString' in id) {
    return (id as { toHexString(): string }).toHexString();
  }
  return JSON.stringify(id);
}
