import { diffRows, diffTable } from './diff';
import { el, lazyDetails } from './dom';
import type { Entry } from './types';

/** How the page writes an instant: local, medium date and time. */
export const dateFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'medium',
});

/** The link to one object's timeline: the same page, filtered on that object. */
export function objectHref(type: string, id: string): string {
  return `?${new URLSearchParams({ object_type: type, object_id: id })}`;
}

function changesOf(entry: Entry): HTMLElement | null {
  const changes = entry.changes;
  if (!changes || typeof changes !== 'object') return null;
  const oldV = changes.oldValue ?? {};
  const newV = changes.newValue ?? {};
  const n = diffRows(oldV, newV).length;
  if (n === 0) return null;
  return lazyDetails('changes', `Changes (${n} ${n === 1 ? 'field' : 'fields'})`, () =>
    diffTable(oldV, newV),
  );
}

/** In one object's history: show the object's state after this entry, or tick it to compare. */
function pickControls(entry: Entry): HTMLElement {
  return el(
    'div',
    { class: 'pick' },
    el('button', { type: 'button', class: 'state-after' }, 'State after this entry'),
    el(
      'label',
      null,
      el('input', { type: 'checkbox', class: 'compare', value: entry.id }),
      'Compare',
    ),
  );
}

/**
 * One timeline entry. Every field from the log is inserted as text. `pickable`: the timeline is
 * one object's history, so the entry offers its state and comparison.
 */
export function entryNode(entry: Entry, pickable = false): HTMLLIElement {
  const when = new Date(entry.timestamp);
  const valid = !Number.isNaN(when.getTime());
  const actor = entry.actorLabel ?? entry.actorId;
  const object =
    entry.objectType !== null && entry.objectId !== null
      ? el(
          'a',
          {
            class: 'object',
            href: objectHref(entry.objectType, entry.objectId),
            title: `History of ${entry.objectType} #${entry.objectId}`,
          },
          `${entry.objectType} #${entry.objectId}`,
        )
      : entry.objectType !== null
        ? el('span', { class: 'object' }, entry.objectType)
        : null;
  return el(
    'li',
    { class: 'entry', 'data-id': entry.id },
    el(
      'div',
      { class: 'meta' },
      el(
        'time',
        { datetime: entry.timestamp, title: valid ? `${when.toISOString()} (UTC)` : undefined },
        valid ? dateFormat.format(when) : entry.timestamp,
      ),
      el('span', { class: 'badge action', 'data-action': entry.action }, entry.action),
      el('span', { class: 'tool' }, entry.tool),
      object,
    ),
    el('p', { class: 'message' }, entry.message),
    el(
      'p',
      { class: 'actor' },
      actor === null ? 'by the system' : `by ${actor}`,
      entry.actorId !== null && entry.actorLabel !== null && entry.actorLabel !== entry.actorId
        ? el('span', { class: 'actor-id' }, ` (${entry.actorId})`)
        : null,
    ),
    changesOf(entry),
    pickable && entry.objectId !== null ? pickControls(entry) : null,
    lazyDetails('raw', 'Raw JSON', () =>
      // Scrollable, so focusable: keyboard users can scroll it too.
      el(
        'pre',
        { class: 'json', tabindex: '0', 'aria-label': 'Raw JSON' },
        JSON.stringify(entry, null, 2),
      ),
    ),
  );
}
