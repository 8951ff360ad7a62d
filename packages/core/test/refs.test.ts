import { describe, expect, it } from 'vitest';
import {
  defaultResolveActor,
  defaultResolveObject,
  EventLogService,
  memoryStorage,
  ValidationError,
} from '../src/index';

/**
 * The shapes ORMs give their instances, with the markers they set, built here without the ORMs
 * (core depends on zod only; the adapters' tests use the real ones).
 */
function sequelizeLike(modelName: string, pk: string, attrs: Record<string, unknown>) {
  const Model = {
    [modelName]: class {
      static primaryKeyAttribute = pk;
      static rawAttributes = {};
      readonly dataValues = attrs;
      get(key: string) {
        return this.dataValues[key];
      }
    },
  }[modelName] as new () => object;
  return new Model();
}

function mongooseLike(modelName: string, id: string, attrs: Record<string, unknown>) {
  class Document {
    static modelName = modelName;
    readonly $__ = {};
    readonly _doc = attrs;
    readonly _id = { toHexString: () => id };
    get(key: string) {
      return attrs[key];
    }
  }
  Object.assign(Document.prototype, { $isMongooseDocumentPrototype: true });
  return new Document();
}

function fieldOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues[0]?.path[0];
  }
  throw new Error('expected a ValidationError');
}

describe('object resolver', () => {
  it('accepts { type, id } refs with string, number and bigint ids', () => {
    expect(defaultResolveObject({ type: 'Item', id: 7 })).toEqual({ type: 'Item', id: '7' });
    expect(defaultResolveObject({ type: 'Item', id: 2n ** 70n })).toEqual({
      type: 'Item',
      id: (2n ** 70n).toString(),
    });
    expect(defaultResolveObject({ type: 'Item', id: 'a-b' })).toEqual({ type: 'Item', id: 'a-b' });
  });

  it('reads class instances, Sequelize instances and Mongoose documents', () => {
    class Certificate {
      constructor(readonly id: number) {}
    }
    expect(defaultResolveObject(new Certificate(3))).toEqual({ type: 'Certificate', id: '3' });
    expect(defaultResolveObject(sequelizeLike('Item', 'itemId', { itemId: 12 }))).toEqual({
      type: 'Item',
      id: '12',
    });
    expect(defaultResolveObject(mongooseLike('Team', 'abc123', {}))).toEqual({
      type: 'Team',
      id: 'abc123',
    });
  });

  it('gives no object for null and undefined', () => {
    expect(defaultResolveObject(null)).toBeNull();
    expect(defaultResolveObject(undefined)).toBeNull();
  });

  it('refuses strings, numbers, plain objects without a type and instances without an id', () => {
    expect(fieldOf(() => defaultResolveObject('Item:1'))).toBe('object');
    expect(fieldOf(() => defaultResolveObject(5))).toBe('object');
    expect(fieldOf(() => defaultResolveObject({ id: 1 }))).toBe('object');
    expect(fieldOf(() => defaultResolveObject(new (class Foo {})()))).toBe('object');
    expect(fieldOf(() => defaultResolveObject({ type: 'Item', id: { nested: 1 } }))).toBe('object');
    expect(fieldOf(() => defaultResolveObject({ type: '', id: 1 }))).toBe('object');
  });
});

describe('actor resolver', () => {
  it('takes { id, label } and user objects, the label from the first name-like field', () => {
    expect(defaultResolveActor({ id: 1, label: 'Ann' })).toEqual({ id: '1', label: 'Ann' });
    expect(defaultResolveActor({ id: 'u1', full_name: 'John Doe', email: 'j@x' })).toEqual({
      id: 'u1',
      label: 'John Doe',
    });
    expect(defaultResolveActor({ id: 2, email: 'a@b.c' })).toEqual({ id: '2', label: 'a@b.c' });
    expect(defaultResolveActor({ id: 3 })).toEqual({ id: '3', label: null });
  });

  it('reads class getters and ORM get(path), and survives a throwing getter', () => {
    class User {
      constructor(
        readonly id: number,
        private readonly first: string,
      ) {}
      get label(): string {
        throw new Error('no label here');
      }
      get fullName() {
        return `${this.first} Doe`;
      }
    }
    expect(defaultResolveActor(new User(9, 'Jane'))).toEqual({ id: '9', label: 'Jane Doe' });
    expect(defaultResolveActor(sequelizeLike('User', 'id', { id: 4, username: 'neo' }))).toEqual({
      id: '4',
      label: 'neo',
    });
    expect(defaultResolveActor(mongooseLike('User', 'ff00', { name: 'Mo' }))).toEqual({
      id: 'ff00',
      label: 'Mo',
    });
  });

  it('cuts long labels to 255 characters', () => {
    expect(defaultResolveActor({ id: 1, label: 'x'.repeat(300) })?.label).toHaveLength(255);
  });

  it('cuts a long label on a code-point boundary: an emoji across the cut is dropped whole', () => {
    // '🎉' is two UTF-16 units, the 255th and 256th: cutting between them leaves a lone surrogate.
    const straddling = `${'x'.repeat(254)}🎉 and more`;
    expect(defaultResolveActor({ id: 1, label: straddling })?.label).toBe('x'.repeat(254));
    // One unit earlier the emoji ends at the 255th unit and is kept.
    const inside = `${'x'.repeat(253)}🎉 and more`;
    expect(defaultResolveActor({ id: 1, label: inside })?.label).toBe(`${'x'.repeat(253)}🎉`);
  });

  it('log() stores a label cut across an emoji, from the default and from a custom resolver', async () => {
    const label = `${'x'.repeat(254)}🎉`;
    const byDefault = new EventLogService(memoryStorage());
    const custom = new EventLogService(memoryStorage(), {
      resolveActor: () => ({ id: 'u1', label }),
    });
    for (const service of [byDefault, custom]) {
      const entry = await service.log({
        template: 'x',
        tool: 't',
        action: 'a',
        actor: { id: 'u1', label },
      });
      expect(entry.actorLabel).toBe('x'.repeat(254));
    }
  });

  it('refuses bare strings and objects without an id', () => {
    expect(fieldOf(() => defaultResolveActor('admin'))).toBe('actor');
    expect(fieldOf(() => defaultResolveActor({ name: 'nobody' }))).toBe('actor');
  });
});
