import { DEFAULT_MASK, renderTemplate, TemplateError } from '@eventlog/core';
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

describe('renderTemplate — where a malformed template goes wrong', () => {
  it.each([
    ['ab{x', 'unbalanced "{" at position 2 of the template', undefined],
    ['{{ }', 'unbalanced "}" at position 3 of the template', undefined],
    ['}}}', 'unbalanced "}" at position 2 of the template', undefined],
    ['a {b c}', 'invalid placeholder "{b c}" at position 2 of the template', 'b c'],
    ['{x}{}', 'invalid placeholder "{}" at position 3 of the template', ''],
  ])('%j: %s', (template, message, placeholder) => {
    const e = refusal(() => renderTemplate(template, { x: 1 }));
    expect(e.message).toBe(message);
    expect(e.placeholder).toBe(placeholder);
  });

  it('accepts letters, digits, _ and $ in a name, and only those', () => {
    expect(renderTemplate('{A_z$9}', { A_z$9: 'ok' }).message).toBe('ok');
    expect(() => renderTemplate('{a-b}', { 'a-b': 1 })).toThrow(TemplateError);
    expect(() => renderTemplate('{a.b}', { 'a.b': 1 })).toThrow(TemplateError);
  });

  it('keeps the text on both sides of braces and placeholders', () => {
    expect(renderTemplate('x{{y}}z {a}{b}!', { a: 1, b: 2 }).message).toBe('x{y}z 12!');
  });
});

describe('renderTemplate — what a path may read', () => {
  it('an empty segment reads nothing, not the "" key', () => {
    const r = renderTemplate('[{v__}]', { v__: { '': 'hidden' } }, { onMissing: 'keep' });
    expect(r.message).toBe('[{v__}]');
    expect(r.values).toEqual({});
  });

  it('never runs the accessors of Function.prototype on an object built on it', () => {
    const onFunction = Object.setPrototypeOf({}, Function.prototype) as object;
    const r = renderTemplate(
      '{f__caller}|{f__arguments}',
      {
        f__caller: onFunction,
        f__arguments: onFunction,
      },
      { onMissing: 'keep' },
    );
    expect(r.message).toBe('{f__caller}|{f__arguments}');
  });

  it('reads a getter up to 32 prototypes above the object, not further', () => {
    const chain = (hops: number): object => {
      let proto: object = Object.defineProperty({}, 'deep', { get: () => 'found' });
      for (let i = 1; i < hops; i++) proto = Object.create(proto);
      return Object.create(proto);
    };
    const opts = { onMissing: 'keep' } as const;
    expect(renderTemplate('{o__deep}', { o__deep: chain(32) }, opts).message).toBe('found');
    expect(renderTemplate('{o__deep}', { o__deep: chain(33) }, opts).message).toBe('{o__deep}');
  });

  it('reads a getter defined on the object itself, with the object as this', () => {
    const o = { n: 2 };
    Object.defineProperty(o, 'twice', {
      get() {
        return (this as { n: number }).n * 2;
      },
    });
    expect(renderTemplate('{o__twice}', { o__twice: o }).message).toBe('4');
  });

  it('does not read inherited data that is not a getter', () => {
    const base = { inherited: 'data' };
    const r = renderTemplate(
      '{o__inherited}',
      { o__inherited: Object.create(base) },
      {
        onMissing: 'keep',
      },
    );
    expect(r.message).toBe('{o__inherited}');
  });

  it('camelCases a segment only when it is not there as written', () => {
    const both = { full_name: 'snake', fullName: 'camel' };
    expect(renderTemplate('{u__full_name}', { u__full_name: both }).message).toBe('snake');
    expect(renderTemplate('{u__a__b_c}', { u__a__b_c: { a: { bC: 'deep camel' } } }).message).toBe(
      'deep camel',
    );
  });

  it('stops at a leaf before the path ends: the leaf is not looked into', () => {
    const r = renderTemplate(
      '{o__when__getTime}',
      { o__when__getTime: { when: new Date(0) } },
      {
        onMissing: 'keep',
      },
    );
    expect(r.message).toBe('{o__when__getTime}');
    expect(
      renderTemplate('{o__s__length}', { o__s__length: { s: 'abc' } }, { onMissing: 'keep' })
        .message,
    ).toBe('{o__s__length}');
  });

  it('an undefined value, a function or a symbol is missing', () => {
    const opts = { onMissing: 'empty' } as const;
    expect(renderTemplate('[{a}]', { a: undefined }, opts)).toEqual({ message: '[]', values: {} });
    expect(renderTemplate('[{a}]', { a: () => 1 }, opts)).toEqual({ message: '[]', values: {} });
    expect(renderTemplate('[{a__s}]', { a__s: { s: Symbol('x') } }, opts)).toEqual({
      message: '[]',
      values: {},
    });
    expect(renderTemplate('[{a__f}]', { a__f: { f: () => 1 } }, opts)).toEqual({
      message: '[]',
      values: {},
    });
  });

  it('stores ±Infinity as null and a BigInt as decimal text', () => {
    const r = renderTemplate('{a}{b}{c}', { a: Infinity, b: -Infinity, c: -255n });
    expect(r).toEqual({ message: '-255', values: { a: null, b: null, c: '-255' } });
  });

  it('stores an object value as the JSON text of its encoding, a string as is', () => {
    const r = renderTemplate('{o} {s}', { o: { when: new Date(0), n: [1] }, s: { s: '"q"' } });
    expect(r.values).toEqual({
      o: '{"when":"1970-01-01T00:00:00.000Z","n":[1]}',
      s: '{"s":"\\"q\\""}',
    });
    expect(renderTemplate('{o__x}', { o__x: { x: { y: null } } }).values).toEqual({
      o__x: '{"y":null}',
    });
  });
});

describe('renderTemplate — errors and secrets', () => {
  it('says "unreadable error" when the thrown value cannot even be turned into text', () => {
    const hostile = {
      get boom(): never {
        throw {
          toString: () => {
            throw new Error('again');
          },
        };
      },
    };
    const e = refusal(() => renderTemplate('{h__boom}', { h__boom: hostile }));
    expect(e.message).toBe('placeholder {h__boom} could not be read: unreadable error');
    expect(e.placeholder).toBe('h__boom');
  });

  it('names a thrown non-Error by its text, and keeps it as the cause', () => {
    const thrown = 'plain string';
    const e = refusal(() =>
      renderTemplate('{h__x}', {
        h__x: {
          get x(): never {
            throw thrown;
          },
        },
      }),
    );
    expect(e.message).toBe('placeholder {h__x} could not be read: plain string');
    expect(e.cause).toBe(thrown);
  });

  it('says which placeholder has no value', () => {
    const e = refusal(() => renderTemplate('{a} {b}', { a: 1 }));
    expect(e.message).toBe('placeholder {b} has no value in values');
    expect(e.placeholder).toBe('b');
  });

  it('masks by the whole name or by the prefix, not by a name cut short', () => {
    // `sidx` is not a secret word, though `sid` (its first three letters) is.
    expect(renderTemplate('{sidx}', { sidx: 'v' }).message).toBe('v');
    expect(renderTemplate('{sid}', { sid: 'v' }).message).toBe(DEFAULT_MASK);
    expect(renderTemplate('{sid__value}', { sid__value: { value: 'v' } }).message).toBe(
      DEFAULT_MASK,
    );
    expect(renderTemplate('{x__value}', { x__value: { value: 'v' } }).message).toBe('v');
  });

  it('masks inside an object value rendered as JSON, with the configured mask', () => {
    const r = renderTemplate('{o}', { o: { token: 't', a: 1 } }, { redact: { mask: '#' } });
    expect(r.message).toBe('{"token":"#","a":1}');
  });

  it('limits the depth of an object value rendered as JSON', () => {
    const e = refusal(() => renderTemplate('{o}', { o: { a: { b: { c: 1 } } } }, { maxDepth: 1 }));
    expect(e.placeholder).toBe('o');
    expect(e.message).toMatch(/^placeholder \{o\} /);
    expect(renderTemplate('{o}', { o: { a: 1 } }, { maxDepth: 1 }).message).toBe('{"a":1}');
  });
});
