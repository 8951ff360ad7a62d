import { API } from './api';
import { byId, el } from './dom';
import { entryNode } from './entry';
import { fillForm, filtersOf, readForm } from './filters';
import { showObject } from './history';
import { showIntegrity } from './integrity';
import type { ApiError, Page } from './types';

const PAGE_SIZE = 50;

const form = byId<HTMLFormElement>('filters');
const timeline = byId<HTMLOListElement>('timeline');
const status = byId('status');
const more = byId<HTMLButtonElement>('more');
const scope = byId('scope');
const scopeTitle = byId('scope-title');
const baseTitle = document.title;

const state = { next: null as URL | null, loading: false, shown: 0, generation: 0, single: false };
const seen: Record<string, Set<string>> = {
  tool: new Set(),
  action: new Set(),
  actor: new Set(),
  object_type: new Set(),
};

function remember(name: string, value: string | null): void {
  const set = seen[name];
  if (!set || value === null || set.has(value) || set.size >= 200) return;
  set.add(value);
  byId(`dl-${name}`).append(el('option', { value }));
}

function refusal(status: number, body: ApiError | null): string {
  if (status === 401 || status === 403) return 'You may not read this event log.';
  const issues = body?.error?.issues ?? [];
  for (const issue of issues) {
    const input = form.elements.namedItem(issue.param);
    if (input instanceof HTMLInputElement) input.setAttribute('aria-invalid', 'true');
  }
  const detail = issues.map((i) => `${i.param}: ${i.message}`).join('; ');
  return `Error ${status}: ${detail || body?.error?.message || 'the request failed'}`;
}

async function load(url: URL, generation: number): Promise<void> {
  state.loading = true;
  more.disabled = true;
  status.textContent = 'Loading…';
  try {
    const res = await fetch(url, {
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    });
    const body = (await res.json().catch(() => null)) as (Page & ApiError) | null;
    if (generation !== state.generation) return;
    if (!res.ok || !body || !Array.isArray(body.results)) {
      state.next = null;
      status.textContent = refusal(res.status, body);
      return;
    }
    const started = performance.now();
    const fragment = document.createDocumentFragment();
    for (const entry of body.results) {
      fragment.append(entryNode(entry, state.single));
      remember('tool', entry.tool);
      remember('action', entry.action);
      remember('actor', entry.actorId);
      remember('object_type', entry.objectType);
    }
    timeline.append(fragment);
    state.shown += body.results.length;
    if (body.next) {
      const next = new URL(body.next, url);
      next.searchParams.delete('with_count');
      state.next = next;
    } else {
      state.next = null;
    }
    if (body.count !== undefined) {
      status.dataset.count = String(body.count);
      status.dataset.exact = String(body.countExact !== false);
    }
    const known = state.next
      ? totalText(state.shown, status.dataset)
      : state.shown.toLocaleString('en');
    status.textContent =
      state.shown === 0
        ? 'No events match these filters.'
        : `Showing ${state.shown.toLocaleString('en')}${known !== undefined ? ` of ${known}` : ''} events`;
    // For measurements: when the page's entries are in the document, and how long that took.
    performance.measure('eventlog-render', { start: started });
    performance.mark('eventlog-rendered');
  } catch {
    if (generation === state.generation) status.textContent = 'The event log could not be reached.';
  } finally {
    if (generation === state.generation) {
      state.loading = false;
      more.hidden = state.next === null;
      more.disabled = false;
    }
  }
}

/**
 * The total beside "Showing n of": the count, or, when the server stopped counting at its limit
 * (`countExact: false`), a lower bound such as "10,000+" that is never below what is shown.
 */
function totalText(shown: number, counted: DOMStringMap): string | undefined {
  if (counted.count === undefined) return undefined;
  const count = Number(counted.count);
  if (counted.exact !== 'false') return count.toLocaleString('en');
  return `${Math.max(count, shown).toLocaleString('en')}+`;
}

/** Shows the timeline the current URL describes. */
function render(): Promise<void> {
  const filters = filtersOf(location.search);
  fillForm(form, filters);
  for (const input of form.querySelectorAll('[aria-invalid]'))
    input.removeAttribute('aria-invalid');
  const type = filters.get('object_type');
  const id = filters.get('object_id');
  const single = type !== null && id !== null;
  scope.hidden = !single;
  scopeTitle.textContent = single ? `History of ${type} #${id}` : '';
  document.title = single ? `${type} #${id} · ${baseTitle}` : baseTitle;
  state.generation++;
  state.single = single;
  showObject(single ? { type, id } : null);
  state.shown = 0;
  state.next = null;
  delete status.dataset.count;
  delete status.dataset.exact;
  timeline.replaceChildren();
  more.hidden = true;
  for (const format of ['csv', 'ndjson']) {
    const link = new URL('export', API);
    link.search = filters.toString();
    link.searchParams.set('format', format);
    byId<HTMLAnchorElement>(`export-${format}`).href = link.href;
  }
  const url = new URL(API);
  url.search = filters.toString();
  url.searchParams.set('limit', String(PAGE_SIZE));
  url.searchParams.set('with_count', 'true');
  // The unfiltered first page, which the server had the browser fetch beside the script: asked
  // for by the very same URL, so the answer already on its way is used.
  const preloaded = document.getElementById('first-page');
  preloaded?.remove();
  if (preloaded instanceof HTMLLinkElement && filters.toString() === '') {
    return load(new URL(preloaded.href), state.generation);
  }
  return load(url, state.generation);
}

function loadMore(): void {
  if (state.next && !state.loading) void load(state.next, state.generation);
}

function navigate(href: string): void {
  const url = new URL(href, location.href);
  history.pushState(null, '', url);
  void render().then(() => {
    if (!scope.hidden) scopeTitle.focus();
  });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const query = readForm(form).toString();
  navigate(query ? `?${query}` : location.pathname);
});
form.addEventListener('reset', () => {
  // After the browser has emptied the inputs.
  setTimeout(() => navigate(location.pathname));
});
// Links within the page (object history, "All events") change the URL without reloading.
document.addEventListener('click', (event) => {
  const link = (event.target as Element | null)?.closest?.('a');
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.pathname !== location.pathname) return;
  event.preventDefault();
  navigate(url.href);
});
window.addEventListener('popstate', () => void render());
more.addEventListener('click', loadMore);
const sentinel = byId('sentinel');
// An observation delivered after a page rendered may describe the layout before it: re-check.
const nearEnd = () => sentinel.getBoundingClientRect().top < window.innerHeight + 300;
new IntersectionObserver((seen) => seen.some((e) => e.isIntersecting) && nearEnd() && loadMore(), {
  rootMargin: '300px',
}).observe(sentinel);

// Unknown parameters in a shared URL are dropped, so the API never refuses a stale link.
if (filtersOf(location.search).toString() !== new URLSearchParams(location.search).toString()) {
  const query = filtersOf(location.search).toString();
  history.replaceState(null, '', query ? `?${query}` : location.pathname);
}
void render();
void showIntegrity();
