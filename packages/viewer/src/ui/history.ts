import { API, getJson } from './api';
import { diffRows, diffTable } from './diff';
import { byId, el } from './dom';
import { stateTable } from './state-table';
import type { ApiError } from './types';

/** What the state route answers. */
interface ObjectState {
  state: Record<string, unknown> | null;
  asOf: string | null;
  entryId: string | null;
  complete: boolean;
}

const panel = byId('history');
const title = byId('history-title');
const body = byId('history-body');
const timeline = byId<HTMLOListElement>('timeline');

let object: { type: string; id: string } | null = null;
/** Entry ids ticked for comparison, in the order they were ticked (two at most). */
let picked: string[] = [];
/** Answers to an older request are dropped. */
let request = 0;

/** Starts over for the object now shown (null: the timeline is not one object's). */
export function showObject(next: { type: string; id: string } | null): void {
  object = next;
  picked = [];
  request++;
  panel.hidden = true;
  body.replaceChildren();
}

const labelOf = (id: string): string => {
  const time = timeline.querySelector(`li[data-id="${CSS.escape(id)}"] time`);
  return time?.textContent ?? id;
};

/** The position of an entry in the timeline (newest first): larger is older. */
const positionOf = (id: string): number =>
  [...timeline.children].findIndex((li) => (li as HTMLElement).dataset.id === id);

async function stateAfter(entryId: string): Promise<ObjectState | string> {
  if (object === null) return 'No object is shown.';
  const url = new URL(
    `objects/${encodeURIComponent(object.type)}/${encodeURIComponent(object.id)}/state`,
    API,
  );
  url.searchParams.set('entry', entryId);
  try {
    const res = await getJson<ObjectState & ApiError>(url);
    if (res.ok && res.body && 'state' in res.body) return res.body;
    if (res.status === 404 || res.status === 403) {
      return 'The state of this object is not available to you.';
    }
    return `Error ${res.status}: ${res.body?.error?.message ?? 'the request failed'}`;
  } catch {
    return 'The event log could not be reached.';
  }
}

/** Shows `content` under `heading`, and brings the panel to the reader. */
function show(heading: string, ...content: Node[]): void {
  title.textContent = heading;
  body.replaceChildren(...content);
  panel.hidden = false;
  title.focus({ preventScroll: true });
  panel.scrollIntoView({ block: 'nearest' });
}

const note = (text: string) => el('p', { class: 'note' }, text);

/** The note under a state or diff when the history does not start with a full snapshot. */
const partial = (states: ObjectState[], text: string) =>
  states.every((s) => s.complete) ? [] : [note(text)];

async function showState(entryId: string): Promise<void> {
  const mine = ++request;
  const heading = `State after the entry of ${labelOf(entryId)}`;
  show(heading, note('Loading…'));
  const result = await stateAfter(entryId);
  if (mine !== request) return;
  if (typeof result === 'string') return show(heading, note(result));
  if (result.state === null) {
    return show(heading, note('The object did not exist then: not yet created, or deleted.'));
  }
  show(
    heading,
    stateTable(result.state, 'Fields of the object'),
    ...partial(
      [result],
      'Partial: the history does not start with a full snapshot, so only the fields its entries name are known.',
    ),
  );
}

async function showChanges(a: string, b: string): Promise<void> {
  const mine = ++request;
  // The timeline is newest first: the entry further down is the older one.
  const [older, newer] = positionOf(a) > positionOf(b) ? [a, b] : [b, a];
  const heading = `Changes between the entries of ${labelOf(older)} and ${labelOf(newer)}`;
  show(heading, note('Loading…'));
  const [before, after] = await Promise.all([stateAfter(older), stateAfter(newer)]);
  if (mine !== request) return;
  for (const result of [before, after])
    if (typeof result === 'string') return show(heading, note(result));
  const oldState = (before as ObjectState).state ?? {};
  const newState = (after as ObjectState).state ?? {};
  if (diffRows(oldState, newState).length === 0) {
    return show(heading, note('No field differs between these two entries.'));
  }
  show(
    heading,
    diffTable(oldState, newState),
    ...partial(
      [before, after] as ObjectState[],
      'Partial: fields that no entry names are not compared.',
    ),
  );
}

function onCompare(box: HTMLInputElement): void {
  const id = box.value;
  picked = picked.filter((p) => p !== id);
  if (box.checked) picked.push(id);
  // Two at most: ticking a third unticks the first ticked.
  while (picked.length > 2) {
    const dropped = picked.shift() as string;
    const other = timeline.querySelector<HTMLInputElement>(
      `li[data-id="${CSS.escape(dropped)}"] input.compare`,
    );
    if (other) other.checked = false;
  }
  if (picked.length === 2) void showChanges(picked[0] as string, picked[1] as string);
}

timeline.addEventListener('click', (event) => {
  const button = (event.target as Element).closest?.('button.state-after');
  const id = button?.closest<HTMLElement>('li.entry')?.dataset.id;
  if (id !== undefined) void showState(id);
});
timeline.addEventListener('change', (event) => {
  const box = event.target;
  if (box instanceof HTMLInputElement && box.classList.contains('compare')) onCompare(box);
});
