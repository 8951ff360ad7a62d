import { describe, expect, it } from 'vitest';
import type { CaptureConformanceOptions } from './harness';
import { entriesOf, item, ofObject, storedText, useCapture } from './support';

/** Single captured writes: one entry each, with the diff or snapshot the conventions fix. */
export function writeTests<Tx>(options: CaptureConformanceOptions<Tx>): void {
  describe('single writes', () => {
    const open = useCapture(options);

    it('a create logs one entry with the snapshot of the tracked state', async () => {
      const { h, tool, objectType } = await open();
      const [row] = await h.transaction((tx) => h.insert([item(1)], { transaction: tx }));
      expect(row).toMatchObject({ name: 'item 1', status: 'open', qty: 1 });
      const entries = await entriesOf(h, tool);
      expect(entries).toHaveLength(1);
      const [e] = entries;
      expect(e).toMatchObject({
        action: 'create',
        objectType,
        objectId: String(row?.id),
        metadata: { snapshot: true },
        changes: {
          oldValue: {},
          newValue: { name: 'item 1', status: 'open', qty: 1, password: '[REDACTED]' },
        },
      });
      expect(e?.changes?.newValue).not.toHaveProperty('note');
      expect(e?.message).toBe(`${objectType} ${row?.id} was created`);
    });

    it('an update logs only the changed tracked fields, old and new', async () => {
      const { h, tool } = await open();
      const [row] = await h.transaction((tx) => h.insert([item(1)], { transaction: tx }));
      const after = await h.transaction((tx) =>
        h.update({ id: row?.id }, { status: 'closed', note: 'changed' }, { transaction: tx }),
      );
      expect(after).toEqual([{ ...row, status: 'closed', note: 'changed' }]);
      const updates = (await entriesOf(h, tool)).filter((e) => e.action === 'update');
      expect(updates).toHaveLength(1);
      expect(updates[0]).toMatchObject({
        objectId: String(row?.id),
        changes: { oldValue: { status: 'open' }, newValue: { status: 'closed' } },
      });
      expect(Object.keys(updates[0]?.changes?.newValue ?? {})).toEqual(['status']);
      expect(updates[0]?.metadata?.snapshot).toBeUndefined();
    });

    it('a delete logs one entry with the snapshot of the last state', async () => {
      const { h, tool } = await open();
      const [row] = await h.transaction((tx) => h.insert([item(1)], { transaction: tx }));
      await h.transaction((tx) => h.update({ id: row?.id }, { qty: 7 }, { transaction: tx }));
      const before = await h.transaction((tx) => h.delete({ id: row?.id }, { transaction: tx }));
      expect(before).toEqual([{ ...row, qty: 7 }]);
      expect(await h.rows({ id: row?.id })).toEqual([]);
      const deletes = (await entriesOf(h, tool)).filter((e) => e.action === 'delete');
      expect(deletes).toHaveLength(1);
      expect(deletes[0]).toMatchObject({
        objectId: String(row?.id),
        metadata: { snapshot: true },
        changes: { oldValue: { name: 'item 1', qty: 7, status: 'open' }, newValue: {} },
      });
    });

    it('an update that changes no tracked field writes nothing', async () => {
      const { h, tool } = await open();
      const rows = await h.transaction((tx) => h.insert([item(1), item(2)], { transaction: tx }));
      await h.transaction((tx) =>
        h.update({ status: 'open' }, { status: 'open' }, { transaction: tx }),
      );
      // `note` is excluded: changing only it is a no-op for the log.
      await h.transaction((tx) =>
        h.update({ id: rows[0]?.id }, { note: 'x' }, { transaction: tx }),
      );
      await h.transaction((tx) => h.update({ status: 'none' }, { qty: 3 }, { transaction: tx }));
      expect((await entriesOf(h, tool)).map((e) => e.action)).toEqual(['create', 'create']);
      expect((await h.rows({ id: rows[0]?.id }))[0]?.note).toBe('x');
    });

    it('excluded and secret fields are never stored, in changes, values or messages', async () => {
      const { h, tool } = await open({
        templates: { update: 'Item {record__name} ({after__password}) was updated' },
      });
      const [row] = await h.transaction((tx) => h.insert([item(1)], { transaction: tx }));
      const secret = 'hunter2-never-stored';
      const note = 'private-note-never-stored';
      await h.transaction((tx) =>
        h.update({ id: row?.id }, { password: secret, note, qty: 2 }, { transaction: tx }),
      );
      await h.transaction((tx) => h.delete({ id: row?.id }, { transaction: tx }));
      const entries = await entriesOf(h, tool);
      expect(entries.map((e) => e.action)).toEqual(['create', 'update', 'delete']);
      const text = storedText(entries);
      for (const hidden of [row?.password, row?.note, secret, note]) {
        expect(text).not.toContain(String(hidden));
      }
      expect(entries[1]?.changes).toEqual({
        oldValue: { qty: 1, password: '[REDACTED]' },
        newValue: { qty: 2, password: '[REDACTED]' },
      });
      expect(entries[1]?.message).toBe('Item item 1 ([REDACTED]) was updated');
      expect(ofObject(entries, row?.id ?? '')).toHaveLength(3);
    });
  });
}
