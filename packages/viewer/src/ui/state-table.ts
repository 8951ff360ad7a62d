import { isObject, MAX_DEPTH } from './diff';
import { el, table } from './dom';
import { valueNode } from './value';

/** One row per leaf: nested objects as `a.b.c` paths (as in a diff), arrays and scalars as values. */
function rowsOf(
  value: Record<string, unknown>,
  prefix = '',
  depth = 0,
): [path: string, value: unknown][] {
  const rows: [string, unknown][] = [];
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isObject(v) && Object.keys(v).length > 0 && depth < MAX_DEPTH) {
      rows.push(...rowsOf(v, path, depth + 1));
    } else rows.push([path, v]);
  }
  return rows;
}

/** An object's state as a table of fields and values; masked values read as masked. */
export function stateTable(state: Record<string, unknown>, caption: string): HTMLTableElement {
  return table(
    'diff state',
    caption,
    ['Field', 'Value'],
    rowsOf(state).map(([path, value]) =>
      el(
        'tr',
        { 'data-key': path },
        el('th', { scope: 'row', class: 'key' }, path),
        el('td', { class: 'value' }, valueNode(value, true)),
      ),
    ),
  );
}
