import { CUT_TOOL, RESERVED_TOOL_MESSAGE } from '../integrity/cut-record';
import type { Changes } from '../schemas';
import { parseTemplate } from '../template/parse';
import { CaptureError } from './capture-error';

/** The actions a captured write is logged with. */
export type CaptureAction = 'create' | 'update' | 'delete' | 'revert';

/**
 * What a capture (knex `captureTable`, Sequelize `captureModel`, the Mongoose `eventLogPlugin`)
 * logs for each affected row.
 */
export interface CaptureOptions {
  /** The `objectType` of every entry, e.g. `'Item'`. */
  objectType: string;
  /** The `tool` of every entry, e.g. `'inventory'` (not `'eventlog'`: that one is eventlog's own). */
  tool: string;
  /** The column / field holding the row's id, which becomes `objectId`. Default `'id'`. */
  idKey?: string;
  /** Tracked fields: only these are diffed and stored. Default: every field. */
  only?: readonly string[];
  /** Fields never diffed nor stored (a tracked field list minus these). Secrets are masked anyway. */
  exclude?: readonly string[];
  /**
   * Message templates per action. Placeholders read `before` (the row before the write),
   * `after` (after it) and `record` (after, or before for a delete):
   * `'Item {record__name} was closed'`. Only tracked fields (and the id) can be read; a secret
   * one renders masked. Defaults: `'<objectType> {record__<idKey>} was created'` (updated,
   * deleted, reverted).
   */
  templates?: { create?: string; update?: string; delete?: string; revert?: string };
  /**
   * Default true: a create stores the full masked tracked state as `changes.newValue`, a delete
   * the full last state as `changes.oldValue`, both with `metadata.snapshot === true`, so history
   * can be rebuilt and a delete reverted. False: creates and deletes store no `changes`.
   */
  snapshot?: boolean;
  /** Diff nested objects down to their changed leaves (`createDiffSchema`'s `deep`). */
  deep?: boolean;
}

/** A row as the ORM hands it over: column or field name to value. */
export type CaptureRow = Record<string, unknown>;

/** `CaptureOptions` checked once, with defaults applied and templates parsed. */
export interface CaptureSettings {
  objectType: string;
  tool: string;
  idKey: string;
  only: ReadonlySet<string> | null;
  exclude: ReadonlySet<string>;
  snapshot: boolean;
  deep: boolean;
  templates: Record<CaptureAction, CaptureTemplate>;
}

/** A template and, per placeholder that reads a row, which row it reads. */
export interface CaptureTemplate {
  template: string;
  rows: readonly { placeholder: string; side: 'before' | 'after' | 'record' }[];
}

/** The diff function capture calls: the service's `createDiffSchema` carries its redaction. */
export type CaptureDiff = (
  before: unknown,
  after: unknown,
  options?: { deep?: boolean },
) => Changes;

const SIDES = new Set(['before', 'after', 'record']);
const PAST: Record<CaptureAction, string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  revert: 'reverted',
};

function nonEmptyString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 255) {
    throw new CaptureError('options', `capture option ${name} must be a non-empty string`);
  }
  return value;
}

function templateText(value: unknown, action: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 10_000) {
    throw new CaptureError('options', `capture option templates.${action} must be a template`);
  }
  return value;
}

function fieldList(value: unknown, name: string): ReadonlySet<string> | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.length === 0)) {
    throw new CaptureError('options', `capture option ${name} must be an array of field names`);
  }
  return new Set(value as string[]);
}

function compileTemplate(template: string, action: CaptureAction): CaptureTemplate {
  let parts: ReturnType<typeof parseTemplate>;
  try {
    parts = parseTemplate(template);
  } catch (error) {
    throw new CaptureError('options', `capture template for ${action}: ${String(error)}`, {
      cause: error,
    });
  }
  const rows: CaptureTemplate['rows'][number][] = [];
  for (const part of parts) {
    if (typeof part === 'string') continue;
    const prefix = part.placeholder.split('__', 1)[0] as string;
    if (!SIDES.has(prefix)) {
      throw new CaptureError(
        'options',
        `capture template for ${action}: placeholder {${part.placeholder}} must read before, after or record`,
      );
    }
    rows.push({ placeholder: part.placeholder, side: prefix as 'before' | 'after' | 'record' });
  }
  return { template, rows };
}

/** Literal text in a template: braces doubled. */
const literal = (text: string) => text.replaceAll('{', '{{').replaceAll('}', '}}');

/**
 * Checks `options` and applies the defaults; throws `CaptureError` (reason `'options'`) naming
 * the bad option. Adapters call it once per captured table or model.
 */
export function captureSettings(options: CaptureOptions): CaptureSettings {
  if (typeof options !== 'object' || options === null) {
    throw new CaptureError('options', 'capture options must be an object');
  }
  const objectType = nonEmptyString(options.objectType, 'objectType');
  const tool = nonEmptyString(options.tool, 'tool');
  // Refused here, at setup, rather than by log() at the first captured write.
  if (tool === CUT_TOOL)
    throw new CaptureError('options', `capture option tool ${RESERVED_TOOL_MESSAGE}`);
  const idKey = nonEmptyString(options.idKey ?? 'id', 'idKey');
  const only = fieldList(options.only, 'only');
  const exclude = fieldList(options.exclude, 'exclude') ?? new Set<string>();
  const idPlaceholder = /^[A-Za-z0-9_$]+$/.test(idKey) ? `{record__${idKey}}` : '';
  const templates = {} as Record<CaptureAction, CaptureTemplate>;
  for (const action of Object.keys(PAST) as CaptureAction[]) {
    const given = options.templates?.[action];
    const template =
      given === undefined
        ? `${literal(objectType)} ${idPlaceholder} was ${PAST[action]}`.replace('  ', ' ')
        : templateText(given, action);
    templates[action] = compileTemplate(template, action);
  }
  return {
    objectType,
    tool,
    idKey,
    only,
    exclude,
    snapshot: options.snapshot ?? true,
    deep: options.deep ?? false,
    templates,
  };
}
