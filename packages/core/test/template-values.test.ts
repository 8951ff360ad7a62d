import { renderTemplate, TemplateError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';

/** The TemplateError a render throws. */
function refusal(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return e as TemplateError;
  }
  throw new Error('expected a TemplateError, nothing was thrown');
}

/** `{ n: { n: … } }`, `levels` objects deep. */
function tower(levels: number): Record<string, unknown> {
  const top: Record<string, unknown> = {};
  let at = top;
  for (let i = 1; i < levels; i++) {
    const next: Record<string, unknown> = {};
    at.n = next;
    at = next;
  }
  return top;
}

describe('renderTemplate — what a placeholder value becomes', () => {
  it('an invalid Date is stored as null and shows as nothing, not as the text "null"', () => {
    const out = renderTemplate('due {d}.', { d: new Date(Number.NaN) });
    expect(out).toEqual({ message: 'due .', values: { d: null } });
  });

  it('no values at all is a missing placeholder, following onMissing', () => {
    expect(renderTemplate('a {x} b', undefined, { onMissing: 'empty' })).toEqual({
      message: 'a  b',
      values: {},
    });
    expect(renderTemplate('a {x} b', undefined, { onMissing: 'keep' }).message).toBe('a {x} b');
    expect(refusal(() => renderTemplate('a {x} b', undefined)).message).toBe(
      'placeholder {x} has no value in values',
    );
  });

  it('an inherited key of values is missing: only own keys are read', () => {
    const values = Object.create({ x: 'inherited' }) as Record<string, unknown>;
    expect(renderTemplate('a {x} b', values, { onMissing: 'keep' })).toEqual({
      message: 'a {x} b',
      values: {},
    });
  });

  it('an object value deeper than maxDepth is refused with the depth named, not as unreadable', () => {
    const e = refusal(() => renderTemplate('{a}', { a: tower(100) }));
    expect(e.message).toBe('placeholder {a} is nested deeper than maxDepth (64)');
    expect(e.placeholder).toBe('a');
    expect(renderTemplate('{a}', { a: tower(4) }, { maxDepth: 3 }).message).toBe(
      '{"n":{"n":{"n":{}}}}',
    );
    expect(refusal(() => renderTemplate('{a}', { a: tower(5) }, { maxDepth: 3 })).message).toBe(
      'placeholder {a} is nested deeper than maxDepth (3)',
    );
  });

  it('a getter that throws while an object value is encoded: TemplateError with that error as cause', () => {
    const boom = new Error('boom');
    const e = refusal(() =>
      renderTemplate('{a}', {
        a: {
          get x() {
            throw boom;
          },
        },
      }),
    );
    expect(e.message).toBe('placeholder {a} could not be read: boom');
    expect(e.placeholder).toBe('a');
    expect(e.cause).toBe(boom);
  });

  it('a Mongoose-shaped document: read through its get(), then its own property when get() has none', () => {
    class Document {
      get(path: string): unknown {
        return (this as unknown as { _doc: Record<string, unknown> })._doc[path];
      }
    }
    Object.defineProperty(Document.prototype, '$isMongooseDocumentPrototype', { value: true });
    const doc = Object.assign(new Document(), {
      $__: {},
      _doc: { name: 'from _doc' },
      label: 'own property',
    });
    expect(renderTemplate('{d__name} / {d__label}', { d__name: doc, d__label: doc }).message).toBe(
      'from _doc / own property',
    );
  });
});
