import { TemplateError } from '../errors';
import { attributePath, camelCase } from './resolve';

/** A placeholder of a parsed template, with what resolving it needs computed once. */
export interface Placeholder {
  placeholder: string;
  /** The attribute path after the first `__` (empty for `{count}`). */
  path: readonly string[];
  /** Each segment camelCased (`full_name` → `fullName`), or null where that changes nothing. */
  alt: readonly (string | null)[];
}

/** A parsed template: literal text and placeholders, in order. */
export type TemplatePart = string | Placeholder;

function placeholder(name: string): Placeholder {
  const path = attributePath(name);
  return {
    placeholder: name,
    path,
    alt: path.map((seg) => {
      const c = camelCase(seg);
      return c === seg ? null : c;
    }),
  };
}

const NAME = /^[A-Za-z0-9_$]+$/;
const CACHE_LIMIT = 1000;
const cache = new Map<string, readonly TemplatePart[]>();

/**
 * Splits a template into text and `{name}` placeholders. `{{` and `}}` are literal braces. A
 * name is letters, digits, `_` and `$`. A lone `{` or `}`, or braces around anything else
 * (`{a b}`, `{x:>10}`, `{}`), is a `TemplateError`, as `str.format` refuses them in the seed.
 * Parsed templates are memoized (templates repeat; the memo is bounded).
 */
export function parseTemplate(template: string): readonly TemplatePart[] {
  const hit = cache.get(template);
  if (hit !== undefined) return hit;
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  const n = template.length;
  while (i < n) {
    const c = template[i]!;
    if (c === '{') {
      if (template[i + 1] === '{') {
        text += '{';
        i += 2;
        continue;
      }
      const end = template.indexOf('}', i + 1);
      if (end === -1) throw new TemplateError(`unbalanced "{" at position ${i} of the template`);
      const name = template.slice(i + 1, end);
      if (!NAME.test(name)) {
        throw new TemplateError(
          `invalid placeholder "{${name}}" at position ${i} of the template`,
          name,
        );
      }
      if (text !== '') parts.push(text);
      text = '';
      parts.push(placeholder(name));
      i = end + 1;
    } else if (c === '}') {
      if (template[i + 1] !== '}') {
        throw new TemplateError(`unbalanced "}" at position ${i} of the template`);
      }
      text += '}';
      i += 2;
    } else {
      text += c;
      i++;
    }
  }
  if (text !== '') parts.push(text);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(template, parts);
  return parts;
}
