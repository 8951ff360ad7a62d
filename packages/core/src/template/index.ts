import type { JsonObject } from '../schemas';

/** What to do with a placeholder that `values` lacks. */
export type MissingPlaceholder = 'throw' | 'empty' | 'keep';

export interface RenderOptions {
  /** Default `'throw'`: a `TemplateError` naming the placeholder. */
  onMissing?: MissingPlaceholder;
  /** Placeholders whose last path segment is a secret key render as the mask. */
  redact?: boolean | { keys?: readonly (string | RegExp)[]; mask?: string };
}

export interface RenderedTemplate {
  message: string;
  /** The resolved value of each placeholder, keyed by placeholder: what gets stored. */
  values: JsonObject;
}

/** STUB — being implemented. Signature is the contract. */
export function renderTemplate(
  _template: string,
  _values: Record<string, unknown> | undefined,
  _options?: RenderOptions,
): RenderedTemplate {
  throw new Error('renderTemplate: not implemented yet');
}
