import { createDiffSchema } from '../diff/index';
import type { Changes, JsonObject, LogInput } from '../schemas';
import { CaptureError } from './capture-error';
import type { CaptureAction, CaptureDiff, CaptureRow, CaptureSettings } from './options';

/** One affected row of a captured statement: its state before and after (null when absent). */
export interface RowChange {
  before: CaptureRow | null;
  after: CaptureRow | null;
}

/** Options of `captureInputs`. */
export interface CaptureInputOptions {
  /**
   * The diff to use: pass the service's `eventlog.createDiffSchema` so its redaction settings
   * apply. Default `createDiffSchema` (secrets masked with the default keys).
   */
  diff?: CaptureDiff;
  /** Merged into every entry's metadata (a revert's `revertOf`). */
  metadata?: JsonObject;
  /** When the write happened (an import, a replayed job); default: the service's clock. */
  timestamp?: Date;
}

/**
 * The tracked fields of a row: `only` (when given) minus `exclude`. With neither, the row itself
 * (not a copy): read it, never mutate it.
 */
export function trackedFields(settings: CaptureSettings, row: CaptureRow): CaptureRow {
  // Every field tracked: the row itself (capture reads it, never mutates it).
  if (settings.only === null && settings.exclude.size === 0) return row;
  const out: CaptureRow = {};
  for (const key of Object.keys(row)) {
    if (settings.exclude.has(key)) continue;
    if (settings.only !== null && !settings.only.has(key)) continue;
    // An own `__proto__` field is data: assigning it would set the copy's prototype instead.
    if (key === '__proto__') {
      Object.defineProperty(out, key, {
        value: row[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else out[key] = row[key];
  }
  return out;
}

/** The row's id as an entry's `objectId`, or a `CaptureError` (reason `'no-id'`). */
export function rowId(settings: CaptureSettings, row: CaptureRow): string | number | bigint {
  const id = row[settings.idKey];
  if (typeof id === 'string' && id.length > 0) return id;
  if (typeof id === 'number' && Number.isFinite(id)) return id;
  if (typeof id === 'bigint') return id;
  // A BSON ObjectId, or any id class that prints itself as hex.
  const hex = (id as { toHexString?: unknown } | null | undefined)?.toHexString;
  if (typeof hex === 'function') return String(hex.call(id));
  throw new CaptureError(
    'no-id',
    `a captured ${settings.objectType} row has no usable "${settings.idKey}" (idKey)`,
  );
}

const isEmpty = (c: Changes) =>
  Object.keys(c.oldValue).length === 0 && Object.keys(c.newValue).length === 0;

/**
 * Turns the before/after rows of one captured statement into the `logMany` inputs: one per
 * affected row, in the given order. A row with no `before` is a create, one with no `after` a
 * delete, any other an update; `action` is what they are logged as (`'revert'` for a revert).
 *
 * - An update stores the diff of the tracked fields only; an update that changes none of them
 *   gives no input (a no-op writes nothing).
 * - With `snapshot` (default), a create stores `{ oldValue: {}, newValue: <tracked state> }`, a
 *   delete `{ oldValue: <tracked state>, newValue: {} }`, both with `metadata.snapshot: true`;
 *   without it they store no `changes`.
 * - Templates read the tracked fields and the id of `before`, `after` and `record`.
 *
 * Secrets are masked by `options.diff` (and again by `log()`). Pure: reads the rows, never
 * mutates them. Throws `CaptureError` (reason `'no-id'`) for a row without an id.
 */
export function captureInputs(
  settings: CaptureSettings,
  action: CaptureAction,
  rows: readonly RowChange[],
  options: CaptureInputOptions = {},
): LogInput[] {
  const diff = options.diff ?? createDiffSchema;
  const deep = { deep: settings.deep };
  const template = settings.templates[action];
  const inputs: LogInput[] = [];
  for (const { before, after } of rows) {
    const record = after ?? before;
    if (record === null) continue;
    const id = rowId(settings, record);
    const tracked = {
      before: before === null ? null : trackedFields(settings, before),
      after: after === null ? null : trackedFields(settings, after),
    };
    let changes: Changes | null = null;
    let snapshot = false;
    if (tracked.before !== null && tracked.after !== null) {
      changes = diff(tracked.before, tracked.after, deep);
      if (isEmpty(changes)) continue;
    } else if (settings.snapshot) {
      changes = diff(tracked.before ?? {}, tracked.after ?? {}, deep);
      snapshot = true;
    }
    const values: Record<string, unknown> = {};
    for (const { placeholder, side } of template.rows) {
      values[placeholder] =
        side === 'before'
          ? templateRow(settings, before, tracked.before)
          : side === 'after'
            ? templateRow(settings, after, tracked.after)
            : templateRow(settings, record, tracked.after ?? tracked.before);
    }
    const metadata =
      snapshot || options.metadata !== undefined
        ? { ...(snapshot && { snapshot: true }), ...options.metadata }
        : undefined;
    inputs.push({
      template: template.template,
      values,
      object: { type: settings.objectType, id },
      tool: settings.tool,
      action,
      changes,
      ...(metadata !== undefined && { metadata }),
      ...(options.timestamp !== undefined && { timestamp: options.timestamp }),
    });
  }
  return inputs;
}

/** What a template sees of a row: its tracked fields and its id (absent rows read as nothing). */
function templateRow(
  settings: CaptureSettings,
  row: CaptureRow | null,
  tracked: CaptureRow | null,
): CaptureRow | undefined {
  if (row === null || tracked === null) return undefined;
  if (Object.hasOwn(tracked, settings.idKey) || !Object.hasOwn(row, settings.idKey)) return tracked;
  return { ...tracked, [settings.idKey]: row[settings.idKey] };
}
