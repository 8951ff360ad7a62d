import { RevertConflictError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { CaptureConformanceOptions } from './harness';
import { entriesOf, item, useCapture } from './support';

/** Secrets and the excluded note are left out, so a row round-trips exactly. */
const ROUND_TRIP = { exclude: ['note', 'password'] };
const plain = (n: number) => item(n, { password: null, note: null });

/** `revert()` applies an entry's inverse through the capture, logged as action `revert`. */
export function revertTests<Tx>(options: CaptureConformanceOptions<Tx>): void {
  describe('revert', () => {
    const open = useCapture(options);

    it('reverting an update restores the old values and is logged with revertOf', async () => {
      const { h, tool } = await open(ROUND_TRIP);
      const [row] = await h.transaction((tx) => h.insert([plain(1)], { transaction: tx }));
      await h.transaction((tx) =>
        h.update({ id: row?.id }, { qty: 2, status: 'closed' }, { transaction: tx }),
      );
      const update = (await entriesOf(h, tool))[1];
      await h.transaction((tx) => h.revert(update?.id ?? '', { transaction: tx }));
      expect(await h.rows()).toEqual([row]);
      const revert = (await entriesOf(h, tool))[2];
      expect(revert).toMatchObject({
        action: 'revert',
        objectId: String(row?.id),
        metadata: { revertOf: update?.id },
        changes: { oldValue: update?.changes?.newValue, newValue: update?.changes?.oldValue },
      });
    });

    it('reverting a create deletes the row; reverting that revert brings it back', async () => {
      const { h, tool } = await open(ROUND_TRIP);
      const [row] = await h.transaction((tx) => h.insert([plain(1)], { transaction: tx }));
      const create = (await entriesOf(h, tool))[0];
      await h.transaction((tx) => h.revert(create?.id ?? '', { transaction: tx }));
      expect(await h.rows()).toEqual([]);
      const undo = (await entriesOf(h, tool))[1];
      expect(undo).toMatchObject({
        action: 'revert',
        metadata: { revertOf: create?.id, snapshot: true },
        changes: { oldValue: create?.changes?.newValue, newValue: {} },
      });
      await h.transaction((tx) => h.revert(undo?.id ?? '', { transaction: tx }));
      expect(await h.rows()).toEqual([row]);
    });

    it('reverting a delete re-inserts the row from its snapshot', async () => {
      const { h, tool } = await open(ROUND_TRIP);
      const [row] = await h.transaction((tx) => h.insert([plain(1)], { transaction: tx }));
      await h.transaction((tx) => h.delete({ id: row?.id }, { transaction: tx }));
      const del = (await entriesOf(h, tool))[1];
      await h.transaction((tx) => h.revert(del?.id ?? '', { transaction: tx }));
      expect(await h.rows()).toEqual([row]);
      expect((await entriesOf(h, tool)).map((e) => e.action)).toEqual([
        'create',
        'delete',
        'revert',
      ]);
    });

    it('a revert whose target changed since is a conflict unless forced', async () => {
      const { h, tool } = await open(ROUND_TRIP);
      const [row] = await h.transaction((tx) => h.insert([plain(1)], { transaction: tx }));
      await h.transaction((tx) => h.update({ id: row?.id }, { qty: 2 }, { transaction: tx }));
      await h.transaction((tx) => h.update({ id: row?.id }, { qty: 3 }, { transaction: tx }));
      const first = (await entriesOf(h, tool))[1];
      const error = await h
        .transaction((tx) => h.revert(first?.id ?? '', { transaction: tx }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RevertConflictError);
      expect((error as RevertConflictError).fields).toEqual(['qty']);
      expect((await h.rows())[0]?.qty).toBe(3);
      expect(await entriesOf(h, tool)).toHaveLength(3);
      await h.transaction((tx) => h.revert(first?.id ?? '', { transaction: tx, force: true }));
      expect((await h.rows())[0]?.qty).toBe(1);
      expect((await entriesOf(h, tool)).at(-1)?.changes).toEqual({
        oldValue: { qty: 3 },
        newValue: { qty: 1 },
      });
    });

    it('a revert that would restore a masked secret is a conflict', async () => {
      const { h, tool } = await open();
      const [row] = await h.transaction((tx) => h.insert([item(1)], { transaction: tx }));
      await h.transaction((tx) =>
        h.update({ id: row?.id }, { password: 'new' }, { transaction: tx }),
      );
      const update = (await entriesOf(h, tool))[1];
      await expect(
        h.transaction((tx) => h.revert(update?.id ?? '', { transaction: tx })),
      ).rejects.toBeInstanceOf(RevertConflictError);
      expect((await h.rows())[0]?.password).toBe('new');
    });

    it('a revert rolled back with its transaction leaves neither the change nor the entry', async () => {
      const { h, tool } = await open(ROUND_TRIP);
      const [row] = await h.transaction((tx) => h.insert([plain(1)], { transaction: tx }));
      await h.transaction((tx) => h.update({ id: row?.id }, { qty: 2 }, { transaction: tx }));
      const update = (await entriesOf(h, tool))[1];
      const boom = new Error('after revert');
      await expect(
        h.transaction(async (tx) => {
          await h.revert(update?.id ?? '', { transaction: tx });
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect((await h.rows())[0]?.qty).toBe(2);
      expect(await entriesOf(h, tool)).toHaveLength(2);
    });
  });
}
