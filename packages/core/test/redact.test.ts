import {
  DEFAULT_MASK,
  DEFAULT_SECRET_KEYS,
  isSecretKey,
  redact,
  ValidationError,
} from '@eventlog/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('isSecretKey', () => {
  it.each([
    'password',
    'PASSWORD',
    'passwd',
    'newPassword',
    'password_confirmation',
    'api_key',
    'apiKey',
    'API-KEY',
    'x-api-key',
    'token',
    'access_token',
    'refreshToken',
    'githubToken',
    'csrf_token',
    'authorization',
    'Authorization',
    'cookie',
    'set-cookie',
    'Set-Cookie',
    'private_key',
    'client_secret',
    'clientSecret',
    'secret',
    'session',
    'sessionId',
  ])('masks %s', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each([
    'tokenCount',
    'max_tokens',
    'name',
    'status',
    'keyboard',
    'sessionLength',
    'author',
    'passage',
    'id',
  ])('keeps %s', (key) => {
    expect(isSecretKey(key)).toBe(false);
  });

  it('takes a configured list (strings as words, RegExps on raw or normalized key)', () => {
    const keys = ['pin_code', /^x-internal/i];
    expect(isSecretKey('PinCode', { keys })).toBe(true);
    expect(isSecretKey('X-Internal-Trace', { keys })).toBe(true);
    expect(isSecretKey('password', { keys })).toBe(false);
    expect(isSecretKey('ssn', { keys: [...DEFAULT_SECRET_KEYS, 'pin'] })).toBe(true);
    expect(isSecretKey('pin', { keys: [...DEFAULT_SECRET_KEYS, 'pin'] })).toBe(true);
  });
});

describe('redact', () => {
  it('masks secret keys at any depth and inside arrays, Maps and Sets', () => {
    const input = {
      user: { name: 'Ann', password: 'p1', oauth: { access_token: 'a', tokenCount: 3 } },
      headers: [{ Authorization: 'Bearer x' }, { 'Set-Cookie': 'sid=1' }],
      nested: [[{ apiKey: 'k' }]],
      map: new Map<string, unknown>([
        ['secret', 's'],
        ['ok', { client_secret: 'c' }],
      ]),
      set: new Set([{ token: 't' }]),
    };
    const out = redact(input);
    expect(out.user).toEqual({
      name: 'Ann',
      password: DEFAULT_MASK,
      oauth: { access_token: DEFAULT_MASK, tokenCount: 3 },
    });
    expect(out.headers).toEqual([{ Authorization: DEFAULT_MASK }, { 'Set-Cookie': DEFAULT_MASK }]);
    expect(out.nested).toEqual([[{ apiKey: DEFAULT_MASK }]]);
    expect(out.map.get('secret')).toBe(DEFAULT_MASK);
    expect(out.map.get('ok')).toEqual({ client_secret: DEFAULT_MASK });
    expect([...out.set]).toEqual([{ token: DEFAULT_MASK }]);
  });

  it('masks a whole object or array held under a secret key', () => {
    expect(redact({ attempts: 1, secret: { a: 1 }, token: ['x'] })).toEqual({
      attempts: 1,
      secret: DEFAULT_MASK,
      token: DEFAULT_MASK,
    });
  });

  it('never mutates the input and returns a copy', () => {
    const input = { a: { password: 'p' }, d: new Date(5) };
    const before = structuredClone(input);
    const out = redact(input);
    expect(input).toEqual(before);
    expect(out.a).not.toBe(input.a);
    expect(out.d).toEqual(new Date(5));
    expect(out.d).not.toBe(input.d);
  });

  it('keeps class instances as instances with their own fields masked', () => {
    class User {
      constructor(
        public name: string,
        public password: string,
      ) {}
      hello(): string {
        return `hi ${this.name}`;
      }
    }
    const out = redact(new User('Ann', 'p'));
    expect(out).toBeInstanceOf(User);
    expect(out.password).toBe(DEFAULT_MASK);
    expect(out.hello()).toBe('hi Ann');
  });

  it('keeps __proto__ and constructor keys as data', () => {
    const input = JSON.parse('{"__proto__": {"password": "p", "polluted": 1}, "constructor": 2}');
    const out = redact(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({
      password: DEFAULT_MASK,
      polluted: 1,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('uses a configured mask and key list', () => {
    expect(redact({ pin: 1, password: 'p' }, { keys: ['pin'], mask: '***' })).toEqual({
      pin: '***',
      password: 'p',
    });
  });

  it('gives a ValidationError on a cycle and on nesting deeper than maxDepth', () => {
    const cyc: Record<string, unknown> = {};
    cyc.self = { back: cyc };
    expect(() => redact(cyc, { field: 'metadata' })).toThrow(/metadata: contains a cycle/);
    let deep: unknown = { password: 'p' };
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    expect(() => redact(deep)).toThrow(/nested deeper than 1000/);
    // Deep enough to overflow any stack Node is started with: the overflow is a ValidationError too.
    let deeper: unknown = deep;
    for (let i = 0; i < 1_000_000; i++) deeper = { d: deeper };
    expect(() => redact(deeper, { maxDepth: 1e9 })).toThrow(ValidationError);
    expect(() => redact(deeper, { maxDepth: 1e9 })).toThrow(/nested too deeply/);
    const shared = { password: 'p' };
    expect(redact({ a: shared, b: shared })).toEqual({
      a: { password: DEFAULT_MASK },
      b: { password: DEFAULT_MASK },
    });
  });

  it('leaves no secret value anywhere in arbitrary JSON (property)', () => {
    const secretKey = fc.constantFrom('password', 'apiKey', 'ACCESS_TOKEN', 'set-cookie', 'secret');
    const key = fc.oneof(fc.string({ maxLength: 4 }), secretKey);
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constant('SECRET-VALUE'),
        fc.integer(),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(key, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        const out = redact(value);
        const walk = (v: unknown, underSecret: boolean): void => {
          if (v === 'SECRET-VALUE' && underSecret) throw new Error('secret leaked');
          if (typeof v !== 'object' || v === null) return;
          for (const [k, x] of Object.entries(v)) walk(x, underSecret || isSecretKey(k));
        };
        walk(out, false);
      }),
      { numRuns: 300 },
    );
  });
});
