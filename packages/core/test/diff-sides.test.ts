import { createDiffSchema, DiffError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';

// A side is diffed as an object only when it is one: the walk recognises a plain record by its
// prototype first, and that shortcut must not admit an array given another prototype.

describe('createDiffSchema — what a side may be', () => {
  it('refuses an array even when its prototype is Object.prototype', () => {
    const list = Object.setPrototypeOf([1, 2], Object.prototype) as unknown;
    expect(() => createDiffSchema({}, list)).toThrow(DiffError);
    expect(() => createDiffSchema(list, {})).toThrow(DiffError);
  });

  it('diffs a null-prototype record like a plain one', () => {
    const a = Object.assign(Object.create(null) as object, { id: 1, name: 'a' });
    expect(createDiffSchema(a, { id: 1, name: 'b' })).toEqual({
      oldValue: { name: 'a' },
      newValue: { name: 'b' },
    });
  });

  it('keeps a nested Date a leaf in deep mode, and a nested plain object a branch', () => {
    const old = { at: new Date(0), inner: { x: 1, y: 1 } };
    const next = { at: new Date(1000), inner: { x: 1, y: 2 } };
    expect(createDiffSchema(old, next, { deep: true })).toEqual({
      oldValue: { at: '1970-01-01T00:00:00.000Z', inner: { y: 1 } },
      newValue: { at: '1970-01-01T00:00:01.000Z', inner: { y: 2 } },
    });
  });
});
