import { DEFAULT_MASK, isSecretKey, redact, renderTemplate, ValidationError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';

/** The ValidationError a call throws. */
function refusal(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

describe('redact — what is copied, what is kept, what is refused', () => {
  it('returns binary data and RegExps as they are: they carry no keys', () => {
    const bytes = new Uint8Array([1, 2]);
    const buffer = new ArrayBuffer(4);
    const view = new DataView(buffer);
    const re = /x/g;
    const out = redact({ bytes, buffer, view, re, password: 'p' });
    expect(out.bytes).toBe(bytes);
    expect(out.buffer).toBe(buffer);
    expect(out.view).toBe(view);
    expect(out.re).toBe(re);
    expect(out.password).toBe(DEFAULT_MASK);
  });

  it('copies Maps with keys of any type, masking only under secret string keys', () => {
    const key = { id: 1 };
    const input = new Map<unknown, unknown>([
      [1, { password: 'p' }],
      [key, 'object key'],
      ['token', 't'],
      ['name', 'n'],
    ]);
    const out = redact(input);
    expect(out).not.toBe(input);
    expect([...out.entries()]).toEqual([
      [1, { password: DEFAULT_MASK }],
      [key, 'object key'],
      ['token', DEFAULT_MASK],
      ['name', 'n'],
    ]);
    expect(out.get(key)).toBe('object key');
  });

  it('copies an object without a prototype as a plain object', () => {
    const input = Object.assign(Object.create(null) as Record<string, unknown>, {
      token: 't',
      name: 'n',
    });
    const out = redact(input);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(out).toEqual({ token: DEFAULT_MASK, name: 'n' });
  });

  it('keeps null and primitives as they are', () => {
    expect(redact(null)).toBe(null);
    expect(redact({ a: null, b: 'x', c: 1, d: false })).toEqual({
      a: null,
      b: 'x',
      c: 1,
      d: false,
    });
  });

  it('counts the depth inside Maps and Sets as inside arrays', () => {
    expect(redact(new Map([['a', { b: 1 }]]), { maxDepth: 1 }).get('a')).toEqual({ b: 1 });
    expect(() => redact(new Map([['a', { b: { c: 1 } }]]), { maxDepth: 1 })).toThrow(
      'value: is nested deeper than 1',
    );
    expect([...redact(new Set([{ b: 1 }]), { maxDepth: 1 })]).toEqual([{ b: 1 }]);
    expect(() => redact(new Set([{ b: { c: 1 } }]), { maxDepth: 1 })).toThrow(
      'value: is nested deeper than 1',
    );
  });

  it('copies a Set: a new Set whose members are copies', () => {
    const member = { secret: 's', keep: 1 };
    const input = new Set([member, 'text']);
    const out = redact(input);
    expect(out).not.toBe(input);
    expect(out).toBeInstanceOf(Set);
    const [first, second] = [...out];
    expect(first).toEqual({ secret: DEFAULT_MASK, keep: 1 });
    expect(first).not.toBe(member);
    expect(second).toBe('text');
  });

  it('counts depth from the value: maxDepth levels of nesting pass, one more is refused', () => {
    expect(redact({ a: { b: 1 } }, { maxDepth: 1 })).toEqual({ a: { b: 1 } });
    expect(redact([[1]], { maxDepth: 1 })).toEqual([[1]]);
    const e = refusal(() => redact({ a: { b: { c: 1 } } }, { maxDepth: 1 }));
    expect(e.message).toBe('value: is nested deeper than 1');
    expect(e.issues).toEqual([{ path: ['value'], message: 'is nested deeper than 1' }]);
    expect(refusal(() => redact([[[1]]], { maxDepth: 1, field: 'changes' })).message).toBe(
      'changes: is nested deeper than 1',
    );
  });

  it('names a cycle on the default field, through arrays, Maps and Sets too', () => {
    const arr: unknown[] = [];
    arr.push(arr);
    expect(refusal(() => redact(arr)).message).toBe('value: contains a cycle');
    const map = new Map<string, unknown>();
    map.set('self', map);
    expect(refusal(() => redact(map)).message).toBe('value: contains a cycle');
    const set = new Set<unknown>();
    set.add(set);
    expect(refusal(() => redact(set)).message).toBe('value: contains a cycle');
  });

  it('accepts a value reached twice through arrays, Maps and Sets (not a cycle)', () => {
    const shared = { token: 't' };
    const out = redact({
      list: [shared, shared],
      map: new Map([['a', shared]]),
      set: new Set([shared]),
    });
    expect(out.list).toEqual([{ token: DEFAULT_MASK }, { token: DEFAULT_MASK }]);
    expect(out.map.get('a')).toEqual({ token: DEFAULT_MASK });
  });

  it('lets an error thrown by a getter through as it is', () => {
    const boom = new TypeError('getter failed');
    const hostile = {
      get x(): never {
        throw boom;
      },
    };
    expect(() => redact(hostile)).toThrow(boom);
  });
});

describe('secret keys given as RegExps', () => {
  it('a global RegExp matches every key, whatever it matched before', () => {
    const keys = [/secret/g];
    // Fresh keys each time (results are memoized per key): the second key is shorter than
    // where a global RegExp would resume after matching the first.
    expect(isSecretKey('xx_secret', { keys })).toBe(true);
    expect(isSecretKey('se-cret', { keys })).toBe(true);
    expect(isSecretKey('a_secret_b', { keys })).toBe(true);
  });

  it('a sticky RegExp matches anywhere in the key, like any other', () => {
    expect(isSecretKey('my_secret', { keys: [/secret/y] })).toBe(true);
  });

  it('matches the normalized key (lower case, no _ or -) and the key as written', () => {
    expect(isSecretKey('Se_Cret', { keys: [/^secret$/] })).toBe(true);
    expect(isSecretKey('SeCret', { keys: [/^SeCret$/] })).toBe(true);
    expect(isSecretKey('other', { keys: [/^secret$/] })).toBe(false);
  });
});

describe('how a key is cut into words', () => {
  it.each([
    // A RegExp sees the key without _ and -.
    ['pass_word', true],
    ['PASS-PHRASE', true],
    // An upper-case run ends before the capital that starts a lower-case word (PWD|Hash).
    ['PWDHash', true],
    ['PWDHz', true],
    ['PWDH~', false],
    ['SIDE', false],
    ['sidebar', false],
    // Z is a letter like any other: `tokenZ` does not end in token.
    ['tokenZ', false],
    // Keys with non-ASCII characters: the same rules, Unicode-aware.
    ['sidÉcole', true],
    ['PWDÉcole', true],
    ['cvv2é', true],
    ['clé_token', true],
    ['clé_tokenizer', false],
    ['max—1—tokens', false],
  ])('%s is secret: %s', (key, secret) => {
    expect(isSecretKey(key)).toBe(secret);
  });
});

describe('a redact options object reused across calls', () => {
  it('is read again when edited in place: mask and key list', () => {
    const redactOptions: { keys?: string[]; mask?: string } = { mask: '#' };
    const options = { redact: redactOptions };
    expect(renderTemplate('{token}', { token: 't' }, options).message).toBe('#');
    redactOptions.mask = '*';
    expect(renderTemplate('{token}', { token: 't' }, options).message).toBe('*');
    redactOptions.keys = ['pin'];
    expect(renderTemplate('{token} {pin}', { token: 't', pin: 1 }, options).message).toBe('t *');
    expect(renderTemplate('{token}', { token: 't' }, { redact: {} }).message).toBe(DEFAULT_MASK);
    // Resolved once, then served from the cache: the second call must not lose the settings.
    const plain = { redact: {} };
    expect(renderTemplate('{token}', { token: 't' }, plain).message).toBe(DEFAULT_MASK);
    expect(renderTemplate('{token}', { token: 't' }, plain).message).toBe(DEFAULT_MASK);
    expect(renderTemplate('{token}', { token: 't' }, { redact: true }).message).toBe(DEFAULT_MASK);
    expect(renderTemplate('{token}', { token: 't' }, { redact: false }).message).toBe('t');
  });
});
