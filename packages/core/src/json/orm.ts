/**
 * Recognises Mongoose documents, Sequelize instances and BSON values without depending on the
 * libraries: by the markers the libraries themselves set, read as property descriptors so no
 * getter or method of the object is called while deciding. A plain object never qualifies, and
 * neither does an object that only inherits the markers.
 */

import { isPlainObject } from './guard';

/** How far up a prototype chain a marker is looked for; guards against hostile proxies. */
const MAX_PROTO_HOPS = 32;

/** An own data property holding a non-null object (never a getter, never inherited). */
function ownObject(o: object, name: string): boolean {
  const d = Object.getOwnPropertyDescriptor(o, name);
  return d !== undefined && 'value' in d && typeof d.value === 'object' && d.value !== null;
}

/**
 * The data property `name` as defined by the object's classes: looked up the prototype chain
 * (below `Object.prototype`), never on the object itself. A getter's function is returned as
 * `GETTER`, never called; undefined when absent.
 */
function inherited(o: object, name: string): unknown {
  let p: object | null = Object.getPrototypeOf(o);
  for (let hop = 0; p !== null && p !== Object.prototype && hop < MAX_PROTO_HOPS; hop++) {
    const d = Object.getOwnPropertyDescriptor(p, name);
    if (d !== undefined) return 'value' in d ? d.value : GETTER;
    p = Object.getPrototypeOf(p);
  }
  return undefined;
}

const GETTER: unique symbol = Symbol('getter');

/** Plain objects and arrays carry no ORM markers worth looking for: the common case, first. */
function isPlain(o: object): boolean {
  return isPlainObject(o) || Array.isArray(o);
}

/**
 * A Mongoose document (or subdocument): its own `$__` state and `_doc` data, and
 * `$isMongooseDocumentPrototype === true` and `get` from `Document.prototype`.
 */
export function isMongooseDocument(o: object): boolean {
  return (
    ownObject(o, '$__') &&
    ownObject(o, '_doc') &&
    !Object.hasOwn(o, '$isMongooseDocumentPrototype') &&
    !Object.hasOwn(o, 'get') &&
    inherited(o, '$isMongooseDocumentPrototype') === true &&
    typeof inherited(o, 'get') === 'function'
  );
}

/**
 * A Sequelize model instance: its own `dataValues`, `get` from `Model.prototype`, and a model
 * class (the prototype's `constructor`) that declares its attributes (`rawAttributes` or
 * `getAttributes`).
 */
export function isSequelizeInstance(o: object): boolean {
  if (!ownObject(o, 'dataValues') || Object.hasOwn(o, 'get') || Object.hasOwn(o, 'constructor')) {
    return false;
  }
  const model = inherited(o, 'constructor');
  if (typeof model !== 'function' || typeof inherited(o, 'get') !== 'function') return false;
  const raw = Object.getOwnPropertyDescriptor(model, 'rawAttributes');
  if (raw !== undefined && 'value' in raw && typeof raw.value === 'object' && raw.value !== null) {
    return true;
  }
  return typeof inherited(model, 'getAttributes') === 'function';
}

/** A BSON value (`ObjectId`, `Decimal128`, ...): `_bsontype` and `toJSON` from its class. */
function isBsonValue(o: object): boolean {
  return (
    !Object.hasOwn(o, '_bsontype') &&
    inherited(o, '_bsontype') !== undefined &&
    typeof inherited(o, 'toJSON') === 'function'
  );
}

/** The ORM's own `get(path)` (virtuals and getters included), or null for anything else. */
export function ormGetter(o: object): ((path: string) => unknown) | null {
  if (isPlain(o) || (!isMongooseDocument(o) && !isSequelizeInstance(o))) return null;
  const get = inherited(o, 'get') as (path: string) => unknown;
  return (path) => get.call(o, path);
}

/**
 * True when `toJSON()` of `o` is the library's own: a Mongoose document, a Sequelize instance or
 * a BSON value. The template renderer calls no other object's `toJSON`.
 */
export function hasLibraryToJSON(o: object): boolean {
  if (isPlain(o) || Object.hasOwn(o, 'toJSON')) return false;
  return isMongooseDocument(o) || isSequelizeInstance(o) || isBsonValue(o);
}
