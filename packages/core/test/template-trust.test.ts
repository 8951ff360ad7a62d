import { DEFAULT_MASK, defaultResolveActor, isSecretKey, renderTemplate } from '@eventlog/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toJsonValue } from '../src/json/to-json-value';

describe('renderTemplate — the message is at least as masked as values', () => {
  it('masks placeholders whose name, prefix or path is secret', () => {
    const r = renderTemplate(
      '{password__value} {api_key__value} {user__password} {session__id} {cookies__sid} {user__name}',
      {
        password__value: 'hunter2',
        api_key__value: 'sk_live_1',
        user__password: { password: 'pw-2' },
        session__id: { id: 'sess-3' },
        cookies__sid: { sid: 'sid-4' },
        user__name: { name: 'Ann' },
      },
    );
    expect(r.values).toEqual({
      password__value: DEFAULT_MASK,
      api_key__value: DEFAULT_MASK,
      user__password: DEFAULT_MASK,
      session__id: DEFAULT_MASK,
      cookies__sid: DEFAULT_MASK,
      user__name: 'Ann',
    });
    expect(r.message).toBe(`${Array(5).fill(DEFAULT_MASK).join(' ')} Ann`);
  });

  it('never shows in the message a value that storing values would mask (property)', () => {
    const word = fc.constantFrom('password', 'api', 'key', 'value', 'user', 'name', 'session');
    const name = fc
      .array(word, { minLength: 1, maxLength: 4 })
      .chain((ws) => fc.constantFrom(ws.join('__'), ws.join('_'), ws.join('')));
    let masked = 0;
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 5 }), (names) => {
        const values = Object.fromEntries(names.map((n, i) => [n, `SECRET${i}END`]));
        const r = renderTemplate(names.map((n) => `{${n}}`).join(' '), values);
        const stored = toJsonValue(r.values, { redact: true }) as Record<string, unknown>;
        names.forEach((n, i) => {
          if (stored[n] === DEFAULT_MASK || isSecretKey(n)) {
            masked++;
            expect(r.message).not.toContain(`SECRET${i}END`);
            expect(r.values[n]).toBe(DEFAULT_MASK);
          }
        });
      }),
      { numRuns: 300 },
    );
    expect(masked).toBeGreaterThan(100);
  });
});

/** Records every call made through its functions. */
function tripwire() {
  const calls: string[] = [];
  const fn =
    (name: string, result: unknown = 'from a function') =>
    (..._args: unknown[]) => {
      calls.push(name);
      return result;
    };
  return { calls, fn };
}

describe('renderTemplate — no function of the caller data is called', () => {
  it('encodes a class instance from its own properties, never through its toJSON', () => {
    const { calls, fn } = tripwire();
    class Money {
      amount = 5;
      currency = 'EUR';
      toJSON = undefined as unknown;
    }
    const viaMethod = Object.assign(new Money(), { toJSON: fn('own toJSON') });
    class WithMethod {
      amount = 6;
      toJSON(): unknown {
        calls.push('class toJSON');
        return 'from toJSON';
      }
    }
    class WithGetter {
      amount = 7;
      get toJSON(): unknown {
        calls.push('toJSON getter');
        return () => 'from toJSON';
      }
    }
    const r = renderTemplate('{a} {b} {c}', {
      a: viaMethod,
      b: new WithMethod(),
      c: new WithGetter(),
    });
    expect(calls).toEqual([]);
    expect(r.message).toBe('{"amount":5,"currency":"EUR"} {"amount":6} {"amount":7}');
  });

  it('never calls get() of objects that only look like ORM instances', () => {
    const { calls, fn } = tripwire();
    class NoModel {
      dataValues = { name: 'dv' };
      get = fn('class get, no model attributes');
    }
    class Unmarked {
      $__ = {};
      _doc = { name: 'doc' };
      get(): unknown {
        calls.push('class get, no $isMongooseDocumentPrototype');
        return 'from get';
      }
    }
    class OwnMarker {
      $__ = {};
      _doc = { name: 'doc' };
      $isMongooseDocumentPrototype = true;
      get(): unknown {
        calls.push('marker set on the instance');
        return 'from get';
      }
    }
    const hostile: Record<string, unknown> = {
      plainDataValues: { dataValues: { name: 'dv' }, get: fn('plain dataValues get') },
      plainMongoose: {
        $__: {},
        _doc: { name: 'doc' },
        $isMongooseDocumentPrototype: true,
        get: fn('plain $__ get'),
      },
      inheritsDollar: Object.create({
        $__: {},
        _doc: { name: 'doc' },
        $isMongooseDocumentPrototype: true,
        get: fn('inherited $__ get'),
      }),
      inheritsDataValues: Object.create({
        dataValues: { name: 'dv' },
        get: fn('inherited dataValues get'),
      }),
      noModel: new NoModel(),
      unmarked: new Unmarked(),
      ownMarker: new OwnMarker(),
    };
    for (const [key, value] of Object.entries(hostile)) {
      const r = renderTemplate(
        `{${key}__name} {${key}}`,
        { [`${key}__name`]: value, [key]: value },
        {
          onMissing: 'empty',
        },
      );
      expect(r.message, key).not.toContain('from');
      expect(defaultResolveActor(Object.assign(value as object, { id: 1 }))?.label, key).toBe(null);
    }
    expect(calls).toEqual([]);
  });

  it('reads through get() and toJSON() of objects carrying the ORM markers', () => {
    class Document {
      $__ = {};
      _doc = { name: 'stored' };
      get(path: string): unknown {
        return path === 'name' ? 'via get' : undefined;
      }
      toJSON(): unknown {
        return { name: 'via toJSON' };
      }
    }
    Object.assign(Document.prototype, { $isMongooseDocumentPrototype: true });
    const r = renderTemplate('{d__name} {d}', { d__name: new Document(), d: new Document() });
    expect(r.message).toBe('via get {"name":"via toJSON"}');
  });
});
