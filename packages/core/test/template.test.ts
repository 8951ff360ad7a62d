import { DEFAULT_MASK, renderTemplate, TemplateError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';

class User {
  constructor(
    public first_name: string,
    public last_name: string,
    public password = 'pw',
  ) {}
  get fullName(): string {
    return `${this.first_name} ${this.last_name}`;
  }
  shout(): string {
    return 'method called';
  }
}

class Admin extends User {
  get role(): string {
    return 'admin';
  }
}

/**
 * Shaped like a Mongoose document, with the markers Mongoose sets: own `$__` and `_doc`, and
 * `$isMongooseDocumentPrototype` and `get(path)` (serving virtuals) on the prototype.
 */
function mongooseLike(doc: Record<string, unknown>, virtuals: Record<string, unknown> = {}) {
  class Document {
    $__ = { activePaths: {} };
    _doc = doc;
    get(path: string): unknown {
      return path in virtuals ? virtuals[path] : doc[path];
    }
  }
  Object.assign(Document.prototype, { $isMongooseDocumentPrototype: true });
  return new Document();
}

/** Shaped like a Sequelize instance: own `dataValues`, `get(key)`, a model with attributes. */
function sequelizeLike(dataValues: Record<string, unknown>) {
  class Row {
    static rawAttributes = {};
    dataValues = dataValues;
    get(key: string): unknown {
      return dataValues[key];
    }
  }
  return new Row();
}

describe('renderTemplate — the seed examples', () => {
  it('renders the update message of the seed README', () => {
    const r = renderTemplate('Item {item__name} was updated by {user__full_name}.', {
      item__name: { id: 1, name: 'Certificate A' },
      user__full_name: new User('John', 'Doe'),
    });
    expect(r).toEqual({
      message: 'Item Certificate A was updated by John Doe.',
      values: { item__name: 'Certificate A', user__full_name: 'John Doe' },
    });
  });

  it('renders a template without placeholders as is', () => {
    expect(renderTemplate('Created a new request', undefined)).toEqual({
      message: 'Created a new request',
      values: {},
    });
  });

  it('re-renders the stored values to the same message', () => {
    const template = 'Item {item__name} by {user__full_name}: {n} at {when}';
    const first = renderTemplate(template, {
      item__name: { name: 'Cert' },
      user__full_name: new User('A', 'B'),
      n: 3,
      when: new Date(0),
    });
    expect(renderTemplate(template, first.values)).toEqual(first);
  });
});

describe('renderTemplate — attribute lookup', () => {
  it('reads own properties, nested paths and array indexes', () => {
    const r = renderTemplate('{order__customer__address__city} {order__items__0__sku}', {
      order__customer__address__city: { customer: { address: { city: 'Lyon' } } },
      order__items__0__sku: { items: [{ sku: 'A-1' }] },
    });
    expect(r.message).toBe('Lyon A-1');
  });

  it('reads getters of the class and its ancestors, as written or camelCased', () => {
    const r = renderTemplate('{u__fullName} {u__full_name} {u__role} {u__first_name}', {
      u__fullName: new Admin('Ann', 'Lee'),
      u__full_name: new Admin('Ann', 'Lee'),
      u__role: new Admin('Ann', 'Lee'),
      u__first_name: new Admin('Ann', 'Lee'),
    });
    expect(r.message).toBe('Ann Lee Ann Lee admin Ann');
  });

  it('reads Mongoose-like documents and Sequelize-like instances through get()', () => {
    const r = renderTemplate('{doc__title} {doc__full_name} {row__name}', {
      doc__title: mongooseLike({ title: 'T' }),
      doc__full_name: mongooseLike({}, { fullName: 'Virtual Name' }),
      row__name: sequelizeLike({ name: 'Row' }),
    });
    expect(r.message).toBe('T Virtual Name Row');
  });

  it('never calls the get() of a plain object', () => {
    let called = false;
    const plain = {
      get(_p: string) {
        called = true;
        return 'from get';
      },
    };
    expect(renderTemplate('{x__name}', { x__name: plain }, { onMissing: 'empty' }).message).toBe(
      '',
    );
    expect(called).toBe(false);
  });

  it('uses a value without __ as is, and a leaf value whatever the path', () => {
    const r = renderTemplate('{count} {item__name}', { count: 3, item__name: 'Already text' });
    expect(r.message).toBe('3 Already text');
  });

  it('stores JSON-safe primitives and renders them as text', () => {
    const r = renderTemplate('[{a}] [{b}] [{c}] [{d}] [{e}] [{f}] [{g}] [{h}]', {
      a: null,
      b: Number.NaN,
      c: 12n,
      d: new Date(Date.UTC(2024, 0, 1)),
      e: true,
      f: { x: 1, password: 'p' },
      g: [1, 'two'],
      h: -1.5,
    });
    expect(r.values).toEqual({
      a: null,
      b: null,
      c: '12',
      d: '2024-01-01T00:00:00.000Z',
      e: true,
      f: '{"x":1,"password":"[REDACTED]"}',
      g: '[1,"two"]',
      h: -1.5,
    });
    expect(r.message).toBe(
      '[] [] [12] [2024-01-01T00:00:00.000Z] [true] [{"x":1,"password":"[REDACTED]"}] [[1,"two"]] [-1.5]',
    );
  });
});

describe('renderTemplate — braces and missing placeholders', () => {
  it('treats {{ and }} as literal braces', () => {
    expect(renderTemplate('{{literal}} {{{x}}} }}{{', { x: 1 }).message).toBe('{literal} {1} }{');
  });

  it.each(['a { b', 'a } b', '{x', 'x}', '{}', '{a b}', '{x:>10}', '{a{b}'])(
    'refuses the malformed template %j with a TemplateError',
    (t) => {
      expect(() => renderTemplate(t, { x: 1, a: 1 })).toThrow(TemplateError);
    },
  );

  it('throws a TemplateError naming a missing placeholder by default', () => {
    try {
      renderTemplate('Hi {user__name}', {});
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateError);
      expect((e as TemplateError).placeholder).toBe('user__name');
      expect((e as Error).message).toContain('{user__name}');
    }
  });

  it('treats an undefined attribute and a method as missing', () => {
    expect(() => renderTemplate('{u__nope}', { u__nope: new User('a', 'b') })).toThrow(
      TemplateError,
    );
    expect(() => renderTemplate('{u__shout}', { u__shout: new User('a', 'b') })).toThrow(
      /\{u__shout\}/,
    );
  });

  it('renders empty or keeps the placeholder when configured, and stores nothing for it', () => {
    expect(renderTemplate('a{x}b', {}, { onMissing: 'empty' })).toEqual({
      message: 'ab',
      values: {},
    });
    expect(renderTemplate('a{x}b', undefined, { onMissing: 'keep' })).toEqual({
      message: 'a{x}b',
      values: {},
    });
  });
});

describe('renderTemplate — secrets', () => {
  it('masks a placeholder reading a secret, in the message and the stored values', () => {
    const r = renderTemplate('{user__password} {api_key} {user__auth__token} {item__id}', {
      user__password: new User('a', 'b', 'hunter2'),
      api_key: 'k-123',
      user__auth__token: { auth: { token: 't-1' } },
      item__id: { id: 42 },
    });
    expect(r.message).toBe(`${DEFAULT_MASK} ${DEFAULT_MASK} ${DEFAULT_MASK} 42`);
    expect(JSON.stringify(r)).not.toMatch(/hunter2|k-123|t-1/);
  });

  it('can be turned off or configured', () => {
    expect(
      renderTemplate('{u__password}', { u__password: { password: 'p' } }, { redact: false })
        .message,
    ).toBe('p');
    expect(
      renderTemplate('{u__pin}', { u__pin: { pin: 1 } }, { redact: { keys: ['pin'], mask: '#' } })
        .message,
    ).toBe('#');
  });
});
