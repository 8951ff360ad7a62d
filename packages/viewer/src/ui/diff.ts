import { el, table } from './dom';
import { MASK, valueNode } from './value';

type Json = Record<string, unknown>;
interface Row {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  old: unknown;
  new: unknown;
}

/** How deep nested objects are walked into `a.b.c` rows; deeper ones show as values. */
export const MAX_DEPTH = 16;
/** A plain JSON object (not an array): walked into, not shown as one value. */
export const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Json, k: string) => Object.hasOwn(o, k);

/**
 * Old → new as rows, one per changed leaf: nested objects on both sides are walked (`a.b.c`), so
 * a deep diff reads the same as a top-level one; arrays and scalars are compared as values.
 * A masked value is kept even when both sides read the same mask.
 */
export function diffRows(oldV: Json, newV: Json, prefix = '', depth = 0): Row[] {
  const rows: Row[] = [];
  const keys = new Set([...Object.keys(oldV), ...Object.keys(newV)]);
  for (const key of keys) {
    const path = prefix ? `${prefix}.${key}` : key;
    const a = oldV[key];
    const b = newV[key];
    if (has(oldV, key) && has(newV, key) && isObject(a) && isObject(b) && depth < MAX_DEPTH) {
      rows.push(...diffRows(a, b, path, depth + 1));
      continue;
    }
    const kind = !has(oldV, key) ? 'added' : !has(newV, key) ? 'removed' : 'changed';
    // A top-level diff carries whole nested objects: their unchanged leaves are not changes.
    if (kind === 'changed' && a !== MASK && JSON.stringify(a) === JSON.stringify(b)) continue;
    rows.push({ path, kind, old: a, new: b });
  }
  return rows;
}

const MARK = { added: '+', removed: '−', changed: '~' } as const;

/** The diff as an accessible table: field, before, after; each row marked added/removed/changed. */
export function diffTable(oldV: Json, newV: Json): HTMLTableElement {
  return table(
    'diff',
    'Changed fields',
    ['Field', 'Before', 'After'],
    diffRows(oldV, newV).map((row) =>
      el(
        'tr',
        { class: row.kind, 'data-key': row.path },
        el(
          'th',
          { scope: 'row', class: 'key' },
          el('span', { class: 'mark', title: row.kind, 'aria-label': row.kind }, MARK[row.kind]),
          row.path,
        ),
        el('td', { class: 'old' }, valueNode(row.old, row.kind !== 'added')),
        el('td', { class: 'new' }, valueNode(row.new, row.kind !== 'removed')),
      ),
    ),
  );
}
