import { DiffError } from '../errors';
import type { Redaction, RedactOptions } from '../json/redact';
import { encodeContext } from '../json/to-json-value';
import type { EncodeContext } from '../json/types';
import type { CompareContext } from './equal';

/** Options of `createDiffSchema`. */
export interface DiffOptions {
  /** Keys ignored at every level (e.g. `updatedAt`): neither compared nor written. */
  excludeKeys?: readonly string[];
  /** Keep only the changed leaves of nested objects instead of whole top-level values. */
  deep?: boolean;
  /** Mask secret keys in both sides (default true); `false` keeps them, an object configures. */
  redact?: boolean | RedactOptions;
  /** Nesting beyond this depth is a `DiffError` (default 64). */
  maxDepth?: number;
}

/** Everything one `createDiffSchema` call needs while walking. */
export interface DiffContext extends CompareContext {
  deep: boolean;
  redaction: Redaction | null;
  /** Encoder with redaction, for what goes into the result. */
  output: EncodeContext;
}

/** Nesting past `maxDepth`, before it is known whether a cycle caused it. */
export class NestingError extends DiffError {}

const fail = (message: string, cause?: unknown): Error =>
  new DiffError(`diff input ${message}`, { cause });

function build(
  deep: boolean,
  redact: boolean | RedactOptions,
  maxDepth: number | undefined,
  excludeKeys: readonly string[] | undefined,
): DiffContext {
  // No ancestor tracking on the hot path: the depth limit ends cycles, and the caller re-encodes
  // with tracking on that error path to name a cycle.
  const output = encodeContext({ maxDepth, redact, excludeKeys }, true, fail, false);
  const tooDeep = (): Error => new NestingError('diff input is nested too deeply');
  output.tooDeep = tooDeep;
  return {
    maxDepth: output.maxDepth,
    exclude: output.exclude !== null && output.exclude.size > 1 ? output.exclude : null,
    excludeOne: output.exclude?.size === 1 ? [...output.exclude][0]! : null,
    encoder: { ...output, redaction: null },
    tooDeep,
    deep,
    redaction: output.redaction,
    output,
  };
}

/** A built context and the option values it was built from (the key list copied). */
interface Entry {
  deep: boolean;
  redact: boolean | RedactOptions;
  /** The redact object's fields when it was built, so an edited options object is noticed. */
  keys: RedactOptions['keys'];
  mask: string | undefined;
  maxDepth: number | undefined;
  exclude: readonly string[];
  ctx: DiffContext;
}

/**
 * Contexts by option values. Callers write their options as a literal on every call
 * (`{ excludeKeys: ['updatedAt'] }`), so entries are matched by value, not identity; a program
 * uses a handful of option sets, so a short list scanned in order beats hashing. Contexts
 * hold no per-call state (the walk tracks no ancestors), so reuse is safe, even re-entrantly.
 */
const entries: Entry[] = [];
const LIMIT = 16;
let evict = 0;
let plainDefault: DiffContext | undefined;

const NO_KEYS: readonly string[] = [];

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The context for `options`: built once per distinct set of option values, then reused. */
export function contextFor(options: DiffOptions | undefined): DiffContext {
  if (options === undefined) {
    if (plainDefault === undefined) plainDefault = build(false, true, undefined, undefined);
    return plainDefault;
  }
  const deep = options.deep === true;
  const redact = options.redact ?? true;
  const obj = typeof redact === 'object' ? redact : null;
  const maxDepth = options.maxDepth;
  const exclude = options.excludeKeys ?? NO_KEYS;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (
      e.deep === deep &&
      e.redact === redact &&
      e.maxDepth === maxDepth &&
      (obj === null || (e.keys === obj.keys && e.mask === obj.mask)) &&
      sameKeys(e.exclude, exclude)
    ) {
      return e.ctx;
    }
  }
  const entry: Entry = {
    deep,
    redact,
    keys: obj?.keys,
    mask: obj?.mask,
    maxDepth,
    exclude: [...exclude],
    ctx: build(deep, redact, maxDepth, exclude),
  };
  if (entries.length < LIMIT) entries.push(entry);
  else {
    entries[evict] = entry;
    evict = (evict + 1) % LIMIT;
  }
  return entry.ctx;
}
