type Child = Node | string | null | undefined | false;

/**
 * Creates an element. Strings become text nodes, so nothing passed here is ever parsed as HTML:
 * log data is always text.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props) {
    for (const [name, value] of Object.entries(props)) {
      if (value !== undefined) node.setAttribute(name, value);
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

/**
 * A table of class `className`: `caption` for screen readers, one header row of `columns`, and
 * `rows` as its body (appended one by one: a diff can have many).
 */
export function table(
  className: string,
  caption: string,
  columns: readonly string[],
  rows: Iterable<Node>,
): HTMLTableElement {
  const body = el('tbody');
  for (const row of rows) body.append(row);
  return el(
    'table',
    { class: className },
    el('caption', { class: 'sr-only' }, caption),
    el('thead', null, el('tr', null, ...columns.map((c) => el('th', { scope: 'col' }, c)))),
    body,
  );
}

/** The element with this id; the page template guarantees it exists. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

/**
 * A `<details>` whose body is built on first opening: a page of 500 entries renders only
 * summaries until someone looks.
 */
export function lazyDetails(className: string, summary: Child, build: () => Node): HTMLElement {
  const details = el('details', { class: className }, el('summary', null, summary));
  details.addEventListener('toggle', () => {
    if (details.open && details.childElementCount === 1) details.append(build());
  });
  return details;
}
