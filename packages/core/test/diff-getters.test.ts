import { createDiffSchema, DiffError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';

// The walks read the new side's values in one call per object while both sides list their keys
// in the same order. A record may hold accessors (an ORM's getters): their values must compare
// exactly as if each key were read on its own, and a getter of an excluded key that throws must
// not fail the diff, since an excluded key is never compared.

/** `{ ...data }` with `k` as an enumerable getter returning `get()`. */
function withGetter(
  data: Record<string, unknown>,
  k: string,
  get: () => unknown,
): Record<string, unknown> {
  const o = { ...data };
  Object.defineProperty(o, k, { get, enumerable: true, configurable: true });
  return o;
}

const boom = (): never => {
  throw new Error('getter exploded');
};

describe('createDiffSchema — getters on the new side', () => {
  it('compares a getter by the value it returns, in step with the old side', () => {
    const b = withGetter({ id: 1, name: 'a' }, 'name', () => 'b');
    expect(createDiffSchema({ id: 1, name: 'a' }, b)).toEqual({
      oldValue: { name: 'a' },
      newValue: { name: 'b' },
    });
    const same = withGetter({ id: 1, name: 'x' }, 'name', () => 'a');
    expect(createDiffSchema({ id: 1, name: 'a' }, same)).toEqual({ oldValue: {}, newValue: {} });
  });

  it('compares nested getters in both modes', () => {
    const inner = withGetter({ x: 1, y: 2 }, 'y', () => 3);
    const old = { id: 1, inner: { x: 1, y: 2 } };
    expect(createDiffSchema(old, { id: 1, inner })).toEqual({
      oldValue: { inner: { x: 1, y: 2 } },
      newValue: { inner: { x: 1, y: 3 } },
    });
    expect(createDiffSchema(old, { id: 1, inner }, { deep: true })).toEqual({
      oldValue: { inner: { y: 2 } },
      newValue: { inner: { y: 3 } },
    });
    const equal = withGetter({ x: 1, y: 0 }, 'y', () => 2);
    expect(createDiffSchema(old, { id: 1, inner: equal })).toEqual({ oldValue: {}, newValue: {} });
    expect(createDiffSchema({ list: [old.inner] }, { list: [inner] })).toEqual({
      oldValue: { list: [{ x: 1, y: 2 }] },
      newValue: { list: [{ x: 1, y: 3 }] },
    });
  });

  it('ignores a throwing getter at an excluded key, at any depth', () => {
    const top = withGetter({ id: 1, name: 'b', updatedAt: 0 }, 'updatedAt', boom);
    const old = { id: 1, name: 'a', updatedAt: 0 };
    expect(createDiffSchema(old, top, { excludeKeys: ['updatedAt'] })).toEqual({
      oldValue: { name: 'a' },
      newValue: { name: 'b' },
    });
    const nested = { id: 1, inner: withGetter({ x: 2, updatedAt: 0 }, 'updatedAt', boom) };
    const before = { id: 1, inner: { x: 1, updatedAt: 0 } };
    for (const deep of [false, true]) {
      expect(createDiffSchema(before, nested, { deep, excludeKeys: ['updatedAt'] })).toEqual({
        oldValue: { inner: { x: 1 } },
        newValue: { inner: { x: 2 } },
      });
    }
    const equal = { id: 1, inner: withGetter({ x: 1, updatedAt: 0 }, 'updatedAt', boom) };
    expect(createDiffSchema(before, equal, { excludeKeys: ['updatedAt'] })).toEqual({
      oldValue: {},
      newValue: {},
    });
  });

  it('still fails with a DiffError when a compared getter throws', () => {
    const b = withGetter({ id: 1, name: 'a' }, 'name', boom);
    for (const deep of [false, true]) {
      expect(() => createDiffSchema({ id: 1, name: 'a' }, b, { deep })).toThrow(DiffError);
      expect(() => createDiffSchema({ o: { id: 1, name: 'a' } }, { o: b }, { deep })).toThrow(
        DiffError,
      );
    }
  });
});
