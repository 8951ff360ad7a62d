import { ValidationError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import { toJsonValue } from '../src/json/to-json-value';

class Money {
  constructor(
    public amount: number,
    public currency: string,
  ) {}
  toJSON(): string {
    return `${this.amount} ${this.currency}`;
  }
}

class Person {
  secretNote = 'kept when redaction is off';
  constructor(
    public name: string,
    private readonly age: number,
  ) {}
  get label(): string {
    return `${this.name} (${this.age})`;
  }
  greet(): string {
    return 'hi';
  }
}

describe('toJsonValue — the encoding table', () => {
  const cases: [string, unknown, unknown][] = [
    ['string', 'a', 'a'],
    ['finite number', 1.5, 1.5],
    ['-0', -0, 0],
    ['boolean', false, false],
    ['null', null, null],
    ['NaN', Number.NaN, null],
    ['Infinity', Number.POSITIVE_INFINITY, null],
    ['-Infinity', Number.NEGATIVE_INFINITY, null],
    ['BigInt', 12345678901234567890n, '12345678901234567890'],
    ['undefined at the root', undefined, null],
    ['Date', new Date(Date.UTC(2024, 1, 3, 4, 5, 6, 7)), '2024-02-03T04:05:06.007Z'],
    ['invalid Date', new Date(Number.NaN), null],
    ['Buffer', Buffer.from('hello'), 'aGVsbG8='],
    ['Uint8Array', new Uint8Array([1, 2, 255]), 'AQL/'],
    ['Float64Array', new Float64Array([1.5, Number.NaN]), [1.5, null]],
    ['ArrayBuffer', new Uint8Array([104, 105]).buffer, 'aGk='],
    [
      'Map',
      new Map<unknown, unknown>([
        ['a', 1],
        [2, 'two'],
      ]),
      { a: 1, '2': 'two' },
    ],
    ['Set', new Set([1, 'x', 1]), [1, 'x']],
    [
      'array with undefined and function',
      [undefined, () => 1, new Array(1)[0], 3],
      [null, null, null, 3],
    ],
    [
      'object dropping undefined, functions and symbols',
      { a: 1, u: undefined, f() {}, s: Symbol('s') },
      { a: 1 },
    ],
    ['class instance with toJSON', new Money(5, 'EUR'), '5 EUR'],
    [
      'class instance: own enumerable data only',
      new Person('Ann', 30),
      { secretNote: 'kept when redaction is off', name: 'Ann', age: 30 },
    ],
    ['RegExp', /a+b/gi, '/a+b/gi'],
    ['boxed primitives', [Object(1), Object('s'), Object(true)], [1, 's', true]],
    ['nested Date in Map', new Map([['at', new Date(0)]]), { at: '1970-01-01T00:00:00.000Z' }],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      expect(toJsonValue(input)).toEqual(expected);
    });
  }

  it('encodes an Error with its name and message', () => {
    const e = Object.assign(new TypeError('bad'), { code: 'E_BAD' });
    expect(toJsonValue(e)).toEqual({ name: 'TypeError', message: 'bad', code: 'E_BAD' });
  });

  it('is deterministic and survives a JSON round trip unchanged', () => {
    const input = { m: new Map([['k', new Set([1n, new Date(1)])]]), n: [Number.NaN, -0] };
    const a = toJsonValue(input);
    expect(toJsonValue(input)).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it('keeps __proto__ and constructor keys as own data and never touches Object.prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}');
    const out = toJsonValue(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(out)).toBe(
      '{"__proto__":{"polluted":true},"constructor":{"prototype":1}}',
    );
  });

  it('masks secret keys when asked, at any depth and inside arrays and Maps', () => {
    const input = { list: [{ password: 'p' }], m: new Map([['apiKey', 'k']]), ok: 1 };
    expect(toJsonValue(input, { redact: true })).toEqual({
      list: [{ password: '[REDACTED]' }],
      m: { apiKey: '[REDACTED]' },
      ok: 1,
    });
    expect(toJsonValue(input)).toEqual({ list: [{ password: 'p' }], m: { apiKey: 'k' }, ok: 1 });
  });

  it('gives a ValidationError on a cycle, excessive depth or a throwing getter, naming the field', () => {
    const cyc: Record<string, unknown> = {};
    cyc.me = [cyc];
    expect(() => toJsonValue(cyc, { field: 'metadata' })).toThrow(/metadata: contains a cycle/);
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => toJsonValue(deep)).toThrow(ValidationError);
    expect(() => toJsonValue(deep, { maxDepth: 20_000 })).toThrow(ValidationError);
    const bad = {
      get x(): never {
        throw new Error('no');
      },
    };
    expect(() => toJsonValue(bad)).toThrow(ValidationError);
    const loop = { toJSON: () => loop };
    expect(() =>
      toJsonValue(
        new Map([
          [
            'l',
            {
              inner: new (class {
                toJSON() {
                  return this;
                }
              })(),
            },
          ],
        ]),
      ),
    ).toThrow(/cycle/);
    expect(toJsonValue(loop)).toEqual({}); // a plain object's toJSON is a function: dropped
  });
});

it('encodes holes of a sparse array as null', () => {
  const sparse: unknown[] = [];
  sparse[2] = 'x';
  expect(toJsonValue(sparse)).toEqual([null, null, 'x']);
});
