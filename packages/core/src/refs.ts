import { ValidationError } from './errors';
import { isPlainObject } from './json/guard';
import { ormGetter } from './json/orm';

/** The stored identity of the affected object. */
export interface ResolvedObject {
  type: string;
  id: string;
}

/** The stored identity of the actor; `label` is the display snapshot ("John Doe"). */
export interface ResolvedActor {
  id: string;
  label: string | null;
}

const MAX_TEXT = 255;
/** Where a user object keeps a human-readable name, most specific first. */
const LABEL_KEYS = ['label', 'fullName', 'full_name', 'name', 'username', 'email'] as const;

type Bag = Record<string, unknown>;

/**
 * Reads one attribute: the property, then the ORM's `get(path)` for a real Sequelize instance or
 * Mongoose document (they keep attributes behind it; see `orm.ts`); no other object's `get`. A getter that throws
 * counts as absent, since an audit entry must not fail over a display label.
 */
function read(value: object, key: string): unknown {
  try {
    const direct = (value as Bag)[key];
    if (direct !== undefined && typeof direct !== 'function') return direct;
    const get = ormGetter(value);
    if (get !== null) {
      const viaGet = get(key);
      if (typeof viaGet !== 'function') return viaGet;
    }
  } catch {
    // fall through: absent
  }
  return undefined;
}

/** Turns an id of any driver type (number, bigint, Mongo ObjectId, UUID) into its string form. */
function idToString(id: unknown, field: string): string | undefined {
  if (id === undefined || id === null) return undefined;
  let text: string;
  if (typeof id === 'string') text = id;
  else if (typeof id === 'number' && Number.isFinite(id)) text = String(id);
  else if (typeof id === 'bigint') text = id.toString();
  else if (typeof id === 'object' && typeof (id as Bag).toHexString === 'function') {
    text = String((id as { toHexString(): unknown }).toHexString());
  } else {
    throw ValidationError.field(
      [field, 'id'],
      'must be a string, a number, a bigint or an ObjectId',
    );
  }
  if (text.length === 0 || text.length > MAX_TEXT) {
    throw ValidationError.field([field, 'id'], `must be 1 to ${MAX_TEXT} characters`);
  }
  return text;
}

function constructorOf(value: object): Bag | undefined {
  const ctor = (value as Bag).constructor;
  return typeof ctor === 'function' ? (ctor as unknown as Bag) : undefined;
}

/** The primary key of an ORM instance or class instance: Sequelize's declared key, `_id`, `id`. */
function primaryKey(value: object): unknown {
  const pk = constructorOf(value)?.primaryKeyAttribute;
  if (typeof pk === 'string') return read(value, pk);
  return read(value, 'id') ?? read(value, '_id');
}

/**
 * The default object resolver. `null`/`undefined` → no object. Accepts `{ type, id }` (a plain
 * object), Mongoose documents (`constructor.modelName` + `_id`), Sequelize instances (model name
 * + `constructor.primaryKeyAttribute`) and class instances with an `id` (class name + id).
 * Anything else, including bare strings and numbers, is a `ValidationError` on `object`.
 */
export function defaultResolveObject(object: unknown): ResolvedObject | null {
  if (object === null || object === undefined) return null;
  if (typeof object !== 'object') {
    throw ValidationError.field(
      'object',
      'must be an ORM instance, a class instance with an id, or { type, id }',
    );
  }
  let type: unknown;
  let id: unknown;
  if (isPlainObject(object)) {
    type = (object as Bag).type;
    id = (object as Bag).id;
    if (typeof type !== 'string') {
      throw ValidationError.field(
        ['object', 'type'],
        'a plain object needs `type` and `id` (or pass an ORM or class instance)',
      );
    }
  } else {
    const ctor = constructorOf(object);
    type = typeof ctor?.modelName === 'string' ? ctor.modelName : ctor?.name;
    id = primaryKey(object);
  }
  if (typeof type !== 'string' || type.length === 0 || type.length > MAX_TEXT) {
    throw ValidationError.field(['object', 'type'], `must be 1 to ${MAX_TEXT} characters`);
  }
  const idText = idToString(id, 'object');
  if (idText === undefined) throw ValidationError.field(['object', 'id'], 'is missing');
  return { type, id: idText };
}

/**
 * The default actor resolver. `null`/`undefined` → no actor. Accepts `{ id, label }` and any user
 * object (plain, class, Sequelize, Mongoose) with an `id` (or its primary key / `_id`); the label
 * is the first of `label`, `fullName`, `full_name`, `name`, `username`, `email` that is set,
 * cut to 255 UTF-16 units on a code-point boundary. Anything else is a `ValidationError` on
 * `actor`.
 */
export function defaultResolveActor(actor: unknown): ResolvedActor | null {
  if (actor === null || actor === undefined) return null;
  if (typeof actor !== 'object') {
    throw ValidationError.field('actor', 'must be a user object or { id, label }');
  }
  const id = idToString(primaryKey(actor), 'actor');
  if (id === undefined) throw ValidationError.field(['actor', 'id'], 'is missing');
  let label: string | null = null;
  for (const key of LABEL_KEYS) {
    const candidate = read(actor, key);
    if (typeof candidate === 'string' && candidate.length > 0) {
      label = candidate;
      break;
    }
  }
  return { id, label: label === null ? null : cutLabel(label) };
}

/**
 * A label cut to `MAX_TEXT` UTF-16 units on a code-point boundary: when the cut would fall
 * between the two halves of a surrogate pair (an emoji), the whole pair is left out, since a
 * lone half has no stored form and core refuses it.
 */
function cutLabel(label: string): string {
  if (label.length <= MAX_TEXT) return label;
  const high = label.charCodeAt(MAX_TEXT - 1);
  const low = label.charCodeAt(MAX_TEXT);
  const splitsPair = high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
  return label.slice(0, splitsPair ? MAX_TEXT - 1 : MAX_TEXT);
}

/** Checks what a custom object resolver returned, so a buggy resolver is a clear error. */
export function checkResolvedObject(
  value: ResolvedObject | null | undefined,
): ResolvedObject | null {
  if (value === null || value === undefined) return null;
  const { type } = value;
  if (typeof type !== 'string' || type.length === 0 || type.length > MAX_TEXT) {
    throw ValidationError.field(['object', 'type'], `must be 1 to ${MAX_TEXT} characters`);
  }
  const id = idToString(value.id, 'object');
  if (id === undefined) throw ValidationError.field(['object', 'id'], 'is missing');
  return { type, id };
}

/** Checks what a custom actor resolver returned, so a buggy resolver is a clear error. */
export function checkResolvedActor(value: ResolvedActor | null | undefined): ResolvedActor | null {
  if (value === null || value === undefined) return null;
  const id = idToString(value.id, 'actor');
  if (id === undefined) throw ValidationError.field(['actor', 'id'], 'is missing');
  const label = value.label ?? null;
  if (label !== null && typeof label !== 'string') {
    throw ValidationError.field(['actor', 'label'], 'must be a string or null');
  }
  return { id, label: label === null ? null : cutLabel(label) };
}
