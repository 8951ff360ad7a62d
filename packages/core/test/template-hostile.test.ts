import { renderTemplate, TemplateError } from '@eventlog/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

const protoKeysBefore = Object.getOwnPropertyNames(Object.prototype).sort();

afterAll(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeysBefore);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

/** Wraps `target` in a Proxy that records every property name the renderer asks about. */
function spy<T extends object>(target: T): { proxy: T; seen: Set<string> } {
  const seen = new Set<string>();
  const note = (p: string | symbol) => {
    if (typeof p === 'string') seen.add(p);
  };
  const proxy = new Proxy(target, {
    get(t, p, r) {
      note(p);
      return Reflect.get(t, p, r);
    },
    getOwnPropertyDescriptor(t, p) {
      note(p);
      return Reflect.getOwnPropertyDescriptor(t, p);
    },
    has(t, p) {
      note(p);
      return Reflect.has(t, p);
    },
  });
  return { proxy, seen };
}

const HOSTILE = [
  'x____proto__',
  'x__constructor',
  'x__constructor__name',
  'x__constructor__prototype',
  'x__toString',
  'x__valueOf',
  'x__hasOwnProperty',
  'x__prototype',
  'x____defineGetter__',
  'x__proto',
  '__proto__',
  'constructor',
  'toString',
];

describe('renderTemplate — hostile placeholders', () => {
  it.each(HOSTILE)('{%s} reads no prototype and calls no function', (name) => {
    class Thing {
      name = 'thing';
      method(): string {
        return 'called';
      }
    }
    for (const root of [{ a: 1 }, new Thing(), Thing, Object.create(null), [1]]) {
      const { proxy, seen } = spy(root as object);
      const values = { [name]: proxy };
      const r = renderTemplate(`{${name}}`, values, { onMissing: 'keep' });
      // Either missing (kept), or the whole object rendered as data: never a prototype member.
      expect(r.message).not.toMatch(/function|called|\[native code\]/);
      for (const forbidden of ['__proto__', 'constructor', 'prototype']) {
        expect(seen.has(forbidden)).toBe(false);
      }
      expect(() => renderTemplate(`{${name}}`, {})).toThrow(TemplateError);
    }
  });

  it('does not take an inherited key of values for a value', () => {
    expect(() => renderTemplate('{toString}', {})).toThrow(TemplateError);
    expect(() => renderTemplate('{constructor}', {})).toThrow(TemplateError);
    expect(renderTemplate('{hasOwnProperty}', {}, { onMissing: 'empty' }).message).toBe('');
  });

  it('keeps a __proto__ key of values as data in the stored values', () => {
    const values = JSON.parse('{"__proto__": "text", "x____proto__": {"polluted": 1}}');
    const r = renderTemplate('{__proto__} {x____proto__}', values, { onMissing: 'keep' });
    expect(r.message).toBe('text {x____proto__}');
    expect(Object.getOwnPropertyDescriptor(r.values, '__proto__')?.value).toBe('text');
    expect(Object.getPrototypeOf(r.values)).toBe(Object.prototype);
  });

  it('expands one pass only: a value that looks like a placeholder prints literally', () => {
    const r = renderTemplate('{note} {user__password}', {
      note: '{user__password}',
      user__password: { password: 'hunter2' },
    });
    expect(r.message).toBe('{user__password} [REDACTED]');
  });

  it('stores control characters, bidi overrides and markup as given', () => {
    const nasty = 'a\r\nb\u001b[31m\u202e<script>alert(1)</script>\u0000';
    const r = renderTemplate('{v}', { v: nasty });
    expect(r.message).toBe(nasty);
    expect(r.values.v).toBe(nasty);
  });

  it('turns a throwing getter into a TemplateError naming the placeholder', () => {
    class Bad {
      get name(): string {
        throw new Error('getter exploded');
      }
    }
    try {
      renderTemplate('{item__name}', { item__name: new Bad() });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateError);
      expect((e as TemplateError).placeholder).toBe('item__name');
      expect(((e as TemplateError).cause as Error).message).toBe('getter exploded');
    }
  });

  it('turns a Proxy whose traps throw into a TemplateError, as value or as values', () => {
    const trap = () => {
      throw new Error('trap');
    };
    const evil = new Proxy(
      {},
      { get: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap, has: trap, ownKeys: trap },
    );
    expect(() => renderTemplate('{x__name}', { x__name: evil })).toThrow(TemplateError);
    expect(() => renderTemplate('{x}', { x: evil })).toThrow(TemplateError);
    expect(() => renderTemplate('{x}', evil as Record<string, unknown>)).toThrow(TemplateError);
    const throwsNonError = new Proxy(
      {},
      {
        getOwnPropertyDescriptor() {
          throw Object.create(null); // not an Error, not even printable
        },
      },
    );
    expect(() => renderTemplate('{x__y}', { x__y: throwsNonError })).toThrow(TemplateError);
  });

  it('turns a cyclic object value into a TemplateError', () => {
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(() => renderTemplate('{x}', { x: cyc })).toThrow(TemplateError);
  });
});

describe('renderTemplate — properties', () => {
  const piece = fc.oneof(
    fc.string({ maxLength: 4 }),
    fc.constantFrom('{', '}', '{{', '}}', '__', '__proto__', 'constructor', 'toString', 'x'),
    fc.constantFrom(...HOSTILE).map((h) => `{${h}}`),
  );
  const template = fc.array(piece, { maxLength: 8 }).map((p) => p.join(''));
  const hostileValue = fc.oneof(
    fc.anything({ withBigInt: true, withDate: true, withMap: true, withNullPrototype: true }),
    fc.constant(Object.prototype),
    fc.constant(Function.prototype),
    fc.constant(() => 'called'),
    fc.constant(class {}),
  );
  const values = fc.dictionary(
    fc.oneof(fc.constantFrom(...HOSTILE, 'x', 'x__y'), fc.string({ maxLength: 6 })),
    hostileValue,
    { maxKeys: 5 },
  );

  it('never throws anything but TemplateError and never calls a function', () => {
    let rendered = 0;
    fc.assert(
      fc.property(
        template,
        values,
        fc.constantFrom('throw', 'empty', 'keep'),
        (t, v, onMissing) => {
          try {
            const r = renderTemplate(t, v, { onMissing: onMissing as 'throw' });
            expect(r.message).not.toContain('called');
            expect(JSON.parse(JSON.stringify(r.values))).toEqual(r.values);
            rendered++;
          } catch (e) {
            expect(e).toBeInstanceOf(TemplateError);
          }
        },
      ),
      { numRuns: 500 },
    );
    // A renderer that always threw TemplateError would pass the property: most runs must render.
    expect(rendered).toBeGreaterThan(250);
  });

  it('renders any placeholder-free text with doubled braces back to the text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const escaped = s.replaceAll('{', '{{').replaceAll('}', '}}');
        expect(renderTemplate(escaped, {}).message).toBe(s);
      }),
    );
  });
});
