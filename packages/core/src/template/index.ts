import { TemplateError } from '../errors';
import { defineKey } from '../json/guard';
import { hasLibraryToJSON } from '../json/orm';
import { type Redaction, type RedactOptions, resolveRedaction } from '../json/redact';
import { encodeContext } from '../json/to-json-value';
import type { JsonPrimitive } from '../json/types';
import { encodeValue } from '../json/walk';
import type { JsonObject } from '../schemas';
import { type Placeholder, parseTemplate } from './parse';
import { resolvePath } from './resolve';

/** What to do with a placeholder that `values` lacks: throw, render `''`, or keep `{name}`. */
export type MissingPlaceholder = 'throw' | 'empty' | 'keep';

/** Options of `renderTemplate`. */
export interface RenderOptions {
  /** Default `'throw'`: a `TemplateError` naming the placeholder. */
  onMissing?: MissingPlaceholder;
  /**
   * Mask placeholders that read a secret (default true): the whole name is a secret key
   * (`{session__id}`), or its prefix (`{api_key__value}`), or any segment of the attribute path
   * (`{user__password}`, not `{user__name}`).
   */
  redact?: boolean | RedactOptions;
  /** Depth limit for object values rendered as JSON (default 64). */
  maxDepth?: number;
}

/** A rendered message and what it was rendered from. */
export interface RenderedTemplate {
  message: string;
  /** The resolved value of each placeholder, keyed by placeholder: what gets stored. */
  values: JsonObject;
}

const MISSING: unique symbol = Symbol('missing');

/** Describes a thrown value without trusting it (a hostile proxy may throw again). */
function describe(e: unknown): string {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return 'unreadable error';
  }
}

/**
 * Renders `template` with `values`, in one pass.
 *
 * `{prefix__attr}` and `{prefix__a__b}` take `values['prefix__attr']` (the whole key, own
 * properties only) and read the attribute path after the first `__`; `{count}` uses the value
 * itself. Each segment is tried as written and camelCased (`full_name` → `fullName`). Readable:
 * own properties, class getters, and, through their own `get(path)`, Mongoose documents and
 * Sequelize instances, recognised by the markers those libraries set (own `$__` and `_doc` with
 * `$isMongooseDocumentPrototype` on the prototype; own `dataValues` with a model class declaring
 * `rawAttributes`/`getAttributes`): a `get` of any other object is never called. Never read:
 * `__proto__`, `constructor`, `prototype`, anything on `Object.prototype`; functions are
 * never called (a method is missing). A primitive, null or Date value is used as it is whatever
 * the path, so stored values re-render to the same message. Substituted text is never expanded
 * again. `{{` and `}}` are literal braces; a lone brace is a `TemplateError`.
 *
 * Stored values are JSON primitives: strings, finite numbers and booleans as they are; null,
 * NaN and ±Infinity as null; BigInt as its decimal string; Dates as ISO strings; objects and
 * arrays as the JSON text of their encoding (`toJsonValue`, secrets masked), except that
 * `toJSON()` is called only on Mongoose documents, Sequelize instances and BSON values (such
 * as `ObjectId`); any other class instance is encoded from its own enumerable properties. The
 * message shows each stored value as text, null as `''`.
 *
 * A placeholder that reads a secret (`{user__password}`, `{api_key}`, `{api_key__value}`)
 * renders and stores the mask without being read. A missing placeholder (absent key, or an attribute that resolves
 * to undefined or a function) follows `onMissing` and is not stored. A getter or proxy that
 * throws is a `TemplateError` naming the placeholder, with the error as its cause.
 */
export function renderTemplate(
  template: string,
  values: Record<string, unknown> | undefined,
  options?: RenderOptions,
): RenderedTemplate {
  const parts = parseTemplate(template);
  const onMissing = options?.onMissing ?? 'throw';
  const redaction = resolveRedaction(options?.redact);
  const stored: JsonObject = {};
  let message = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      message += part;
      continue;
    }
    const name = part.placeholder;
    let value: JsonPrimitive | typeof MISSING;
    try {
      value = resolve(part, values, redaction, options);
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      throw new TemplateError(`placeholder {${name}} could not be read: ${describe(e)}`, name, {
        cause: e,
      });
    }
    if (value === MISSING) {
      if (onMissing === 'throw') {
        throw new TemplateError(`placeholder {${name}} has no value in values`, name);
      }
      message += onMissing === 'keep' ? `{${name}}` : '';
      continue;
    }
    defineKey(stored, name, value);
    message += value === null ? '' : String(value);
  }
  return { message, values: stored };
}

/**
 * True when the placeholder reads a secret: its whole name (the key `values` is stored under,
 * so the message is never less masked than `values`), its prefix (an attribute of a secret,
 * `{api_key__value}`), or any segment of its path (`{user__password}`).
 */
function readsSecret(part: Placeholder, redaction: Redaction): boolean {
  const name = part.placeholder;
  if (redaction.isSecret(name)) return true;
  if (part.path.length === 0) return false;
  if (redaction.isSecret(name.slice(0, name.indexOf('__')))) return true;
  for (const seg of part.path) if (redaction.isSecret(seg)) return true;
  return false;
}

function resolve(
  part: Placeholder,
  values: Record<string, unknown> | undefined,
  redaction: Redaction | null,
  options: RenderOptions | undefined,
): JsonPrimitive | typeof MISSING {
  const name = part.placeholder;
  if (values === undefined || values === null || !Object.hasOwn(values, name)) return MISSING;
  const root = values[name];
  if (root === undefined) return MISSING;
  if (redaction !== null && readsSecret(part, redaction)) return redaction.mask;
  const v = resolvePath(root, part.path, part.alt);
  switch (typeof v) {
    case 'undefined':
    case 'function':
    case 'symbol':
      return MISSING;
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'bigint':
      return v.toString(10);
    default: {
      if (v === null) return null;
      const fail = (message: string, cause?: unknown): Error =>
        new TemplateError(`placeholder {${name}} ${message}`, name, { cause });
      const ctx = encodeContext(
        { maxDepth: options?.maxDepth, redact: options?.redact },
        true,
        fail,
      );
      ctx.callsToJSON = hasLibraryToJSON;
      const json = encodeValue(v, 0, ctx);
      return typeof json === 'string' || json === null ? json : JSON.stringify(json);
    }
  }
}
