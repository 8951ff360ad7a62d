import { describe, expect, it } from 'vitest';
import { CaptureError, createDiffSchema, type EventLog, RevertConflictError } from '../src/index';
import { captureInputs, captureSettings, planRevert, revertPatchOf } from '../src/storage-entry';

const settings = captureSettings({ objectType: 'Item', tool: 'inventory', exclude: ['note'] });

function stored(overrides: Partial<EventLog>): EventLog {
  return {
    id: '7',
    timestamp: new Date(0),
    actorId: null,
    actorLabel: null,
    message: 'm',
    template: null,
    values: null,
    tool: 'inventory',
    action: 'update',
    objectType: 'Item',
    objectId: '1',
    changes: null,
    metadata: null,
    eventId: null,
    batchId: null,
    chain: null,
    seq: null,
    prevHash: null,
    hash: null,
    ...overrides,
  };
}

describe('captureInputs', () => {
  it('gives one input per changed row: diffs of tracked fields, snapshots for create and delete', () => {
    const a = { id: 1, name: 'A', qty: 1, note: 'n' };
    const inputs = captureInputs(settings, 'update', [
      { before: a, after: { ...a, qty: 2, note: 'changed' } },
      { before: a, after: { ...a, note: 'only the excluded field' } },
      { before: null, after: a },
      { before: a, after: null },
    ]);
    expect(inputs.map((i) => [i.action, i.changes, i.metadata])).toEqual([
      ['update', { oldValue: { qty: 1 }, newValue: { qty: 2 } }, undefined],
      ['update', { oldValue: {}, newValue: { id: 1, name: 'A', qty: 1 } }, { snapshot: true }],
      ['update', { oldValue: { id: 1, name: 'A', qty: 1 }, newValue: {} }, { snapshot: true }],
    ]);
    expect(inputs[0]).toMatchObject({
      template: 'Item {record__id} was updated',
      values: { record__id: { id: 1, name: 'A', qty: 2 } },
      object: { type: 'Item', id: 1 },
      tool: 'inventory',
    });
  });

  it('refuses a row without an id and a template reading anything but before, after or record', () => {
    expect(() =>
      captureInputs(settings, 'create', [{ before: null, after: { name: 'x' } }]),
    ).toThrow(CaptureError);
    expect(() =>
      captureSettings({ objectType: 'Item', tool: 't', templates: { update: '{user__name}' } }),
    ).toThrow(CaptureError);
  });

  it('stores no changes for creates and deletes without snapshots', () => {
    const s = captureSettings({ objectType: 'Item', tool: 't', snapshot: false });
    const [input] = captureInputs(s, 'create', [{ before: null, after: { id: 'x' } }]);
    expect(input?.changes).toBeNull();
    expect(input?.metadata).toBeUndefined();
  });
});

describe('revertPatchOf and planRevert', () => {
  it('plans the inverse of an update and refuses it when the row changed since', () => {
    const changes = createDiffSchema({ qty: 1, name: 'A' }, { qty: 2, name: 'A' });
    const patch = revertPatchOf(stored({ changes }));
    expect(patch).toMatchObject({ operation: 'update', masked: [] });
    expect(planRevert(patch, { id: 1, qty: 2, name: 'B' })).toEqual({
      operation: 'update',
      set: { qty: 1 },
      unset: [],
    });
    expect(() => planRevert(patch, { id: 1, qty: 3 })).toThrow(RevertConflictError);
    expect(planRevert(patch, { id: 1, qty: 3 }, { force: true }).set).toEqual({ qty: 1 });
  });

  it('deep: restores only the changed leaves of a nested value', () => {
    const changes = createDiffSchema(
      { meta: { a: 1, b: 1 } },
      { meta: { a: 2, b: 1 } },
      { deep: true },
    );
    const patch = revertPatchOf(stored({ changes }));
    expect(planRevert(patch, { meta: { a: 2, b: 5 } }, { deep: true }).set).toEqual({
      meta: { a: 1, b: 5 },
    });
  });

  it('a create without a snapshot is not revertible; masked secrets are a conflict', () => {
    expect(() => revertPatchOf(stored({ action: 'create', changes: null }))).toThrow(CaptureError);
    const changes = createDiffSchema({ password: 'a' }, { password: 'b' });
    const patch = revertPatchOf(stored({ changes }));
    expect(patch.masked).toEqual(['password']);
    expect(() => planRevert(patch, { password: 'b' })).toThrow(RevertConflictError);
  });
});
