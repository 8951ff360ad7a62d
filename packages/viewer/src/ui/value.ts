import { el } from './dom';

/** What redaction stores in place of a secret (core's default mask). */
export const MASK = '[REDACTED]';
/** Values longer than this, or spanning more lines, are folded behind their first line. */
const FOLD_CHARS = 160;
const FOLD_LINES = 4;

/** A value as readable text: strings as they are, everything else as indented JSON. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** One cell's content: masked values marked as such, long values folded, the rest as text. */
export function valueNode(value: unknown, present: boolean): Node {
  if (!present) return el('span', { class: 'absent' }, '(absent)');
  if (value === MASK) {
    return el('span', { class: 'masked', title: 'Masked before it was stored' }, 'masked');
  }
  const text = asText(value);
  const kind = value === null ? 'null' : typeof value;
  const lines = text.split('\n');
  if (text.length <= FOLD_CHARS && lines.length <= FOLD_LINES) {
    return el('span', { class: `v v-${kind}` }, text);
  }
  const head = (lines[0] ?? '').slice(0, 60);
  return el(
    'details',
    { class: 'fold' },
    el('summary', null, `${head}… (${text.length} characters)`),
    el('pre', { class: `v v-${kind}` }, text),
  );
}
