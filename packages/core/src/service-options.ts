import type { IntegrityOptions } from './integrity/options';
import type { RedactOptions } from './json/redact';
import type { MissingPlaceholder } from './template/index';

/** Options of `new EventLogService(storage, options)`. Every field is optional. */
export interface EventLogServiceOptions {
  /**
   * Masking of secrets (password, token, authorization, ...) in `changes`, `values` and
   * `metadata`, and in the rendered message. On by default; `false` turns it off; an object
   * configures the keys and the mask.
   */
  redact?: false | RedactOptions;
  /** A placeholder missing from `values`: `'throw'` (default, a `TemplateError`), `'empty'` or `'keep'`. */
  onMissingPlaceholder?: MissingPlaceholder;
  /** Replaces the default object resolver; return `null` for "no object". */
  resolveObject?: (object: unknown) => { type: string; id: string } | null;
  /** Replaces the default actor resolver; return `null` for "no actor". */
  resolveActor?: (actor: unknown) => { id: string; label: string | null } | null;
  /**
   * Limits applied to each of `changes`, `values` and `metadata` (and the size limit to the
   * rendered `message` and the `template` too); beyond them `log()` throws a `ValidationError`
   * naming the field and stores nothing. Each field has the whole limit, so on MongoDB (16 MiB
   * documents) an entry whose fields are all near it can still be refused by the driver: a
   * `StorageError`, nothing written.
   */
  limits?: {
    /** Size of the JSON text in UTF-8 bytes (default 4 MiB). */
    maxPayloadBytes?: number;
    /** Nesting depth (default 64, at most 1000). */
    maxDepth?: number;
  };
  /** Source of the timestamp when `log()` is not given one (default `() => new Date()`). */
  clock?: () => Date;
  /**
   * Turns the hash chain on (tamper evidence): every entry gets `chain`, `seq`, `prevHash` and
   * `hash`, and `verify()`, `checkpoint()` and a chain-preserving `purge()` become available. The
   * storage must declare `capabilities.integrity`.
   */
  integrity?: IntegrityOptions;
  /**
   * Where `list({ withCount: true })` stops counting when the query does not say
   * (`EventLogQuery.countLimit`): a whole number from 1 to `MAX_COUNT_LIMIT`, default
   * `DEFAULT_COUNT_LIMIT` (10,000). Beyond it the page says `countExact: false`. Throws a
   * `ConfigurationError` when out of range.
   */
  countLimit?: number;
}

/** Default `limits.maxPayloadBytes`: 4 MiB. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;
/** Default `limits.maxDepth`. */
export const DEFAULT_MAX_DEPTH = 64;
