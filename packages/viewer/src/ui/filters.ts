/** The filters the page keeps in its URL, named as the list API's query parameters. */
export const FILTERS = [
  'tool',
  'action',
  'actor',
  'object_type',
  'object_id',
  'from',
  'to',
  'search',
  'changed',
  'batch',
] as const;
/** Filters that take several values: the input holds them comma-separated. */
const MULTI = new Set(['tool', 'action', 'changed']);
const TIMES = new Set(['from', 'to']);

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant as a `datetime-local` value in the browser's time zone. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The filter parameters of a page URL's query string (anything else is dropped). */
export function filtersOf(search: string): URLSearchParams {
  const from = new URLSearchParams(search);
  const out = new URLSearchParams();
  for (const name of FILTERS) for (const v of from.getAll(name)) if (v) out.append(name, v);
  return out;
}

/** Fills the form from the URL's filters. */
export function fillForm(form: HTMLFormElement, filters: URLSearchParams): void {
  for (const name of FILTERS) {
    const input = form.elements.namedItem(name) as HTMLInputElement;
    const values = filters.getAll(name);
    input.value = TIMES.has(name) ? toLocalInput(values[0] ?? '') : values.join(', ');
  }
}

/** Reads the form as filter parameters: times as UTC ISO instants, lists split on commas. */
export function readForm(form: HTMLFormElement): URLSearchParams {
  const out = new URLSearchParams();
  for (const name of FILTERS) {
    const value = (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    if (!value) continue;
    if (TIMES.has(name)) {
      const d = new Date(value);
      out.append(name, Number.isNaN(d.getTime()) ? value : d.toISOString());
    } else if (MULTI.has(name)) {
      for (const part of value.split(',')) if (part.trim()) out.append(name, part.trim());
    } else {
      out.append(name, value);
    }
  }
  return out;
}
