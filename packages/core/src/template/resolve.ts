import { ormGetter } from '../json/orm';

/** Names that would reach the prototype machinery; never read, whatever the object. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** How far up a class hierarchy accessors are looked for; guards against hostile proxies. */
const MAX_PROTO_HOPS = 32;

/** The placeholder's attribute path: the segments after the first `__`, or none. */
export function attributePath(placeholder: string): string[] {
  const at = placeholder.indexOf('__');
  return at === -1 ? [] : placeholder.slice(at + 2).split('__');
}

/** `full_name` → `fullName`, so the seed's snake_case placeholders read JS camelCase members. */
export function camelCase(s: string): string {
  return s.replace(/_+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * Reads one attribute as data: through `get(name)` for a real Mongoose document or Sequelize
 * instance (`ormGetter`), else an own data property, an own getter, or a getter defined by the
 * object's class (anywhere up its prototype chain below `Object.prototype` and
 * `Function.prototype`). Methods and other inherited data are never read. Undefined when absent.
 */
function readMember(o: object, name: string): unknown {
  const orm = ormGetter(o);
  if (orm !== null) {
    const v = orm(name);
    if (v !== undefined) return v;
  }
  const d = Object.getOwnPropertyDescriptor(o, name);
  if (d !== undefined) return d.get !== undefined ? d.get.call(o) : d.value;
  let p: object | null = Object.getPrototypeOf(o);
  for (let hop = 0; p !== null && hop < MAX_PROTO_HOPS; hop++) {
    if (p === Object.prototype || p === Function.prototype) return undefined;
    const pd = Object.getOwnPropertyDescriptor(p, name);
    if (pd !== undefined) return pd.get !== undefined ? pd.get.call(o) : undefined;
    p = Object.getPrototypeOf(p);
  }
  return undefined;
}

/** True for values read as they are, never looked into: primitives, null and Dates. */
export function isLeaf(v: unknown): boolean {
  return (typeof v !== 'object' && typeof v !== 'function') || v === null || v instanceof Date;
}

/**
 * Follows `path` from `root`. Each segment is tried as written, then camelCased (`alt`, when
 * the caller computed it once: the parsed template does). A leaf root is its own value whatever
 * the path, so stored values (`item__name` → `"Certificate A"`) re-render to the same message.
 * Undefined when any step is missing, forbidden, empty, lands on a leaf before the path ends,
 * or yields a function (never called).
 */
export function resolvePath(
  root: unknown,
  path: readonly string[],
  alt?: readonly (string | null)[],
): unknown {
  if (typeof root === 'function') return undefined;
  if (isLeaf(root)) return root;
  let cur: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as string;
    if (seg === '' || FORBIDDEN.has(seg)) return undefined;
    if (typeof cur !== 'object' || cur === null || cur instanceof Date) return undefined;
    let next = readMember(cur, seg);
    if (next === undefined) {
      const other = alt === undefined ? camelCase(seg) : (alt[i] ?? seg);
      if (other !== seg && !FORBIDDEN.has(other)) next = readMember(cur, other);
    }
    if (next === undefined || typeof next === 'function') return undefined;
    cur = next;
  }
  return cur;
}
