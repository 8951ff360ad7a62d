import { CaptureError, TemplateError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { CaptureConformanceOptions } from './harness';
import { entriesOf, item, useCapture } from './support';

/** A captured write and its entries commit or roll back together, with or without a transaction. */
export function atomicTests<Tx>(options: CaptureConformanceOptions<Tx>): void {
  describe('atomicity', () => {
    const open = useCapture(options);

    it('a rolled-back transaction keeps neither the rows nor the entries', async () => {
      const { h, tool } = await open();
      const [kept] = await h.transaction((tx) => h.insert([item(1)], { transaction: tx }));
      const boom = new Error('business failure');
      await expect(
        h.transaction(async (tx) => {
          await h.insert([item(2), item(3)], { transaction: tx });
          await h.update({ id: kept?.id }, { qty: 99 }, { transaction: tx });
          await h.delete({ id: kept?.id }, { transaction: tx });
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await h.rows()).toEqual([kept]);
      expect((await entriesOf(h, tool)).map((e) => e.action)).toEqual(['create']);
    });

    it('a write given no transaction follows the rule the adapter states', async () => {
      const { h, tool } = await open();
      const [row] = await h.transaction((tx) => h.insert([item(1)], { transaction: tx }));
      if (h.outsideTransaction === 'wraps') {
        await h.update({ id: row?.id }, { qty: 2 });
        await h.insert([item(2)]);
        await h.delete({ id: row?.id });
        expect((await entriesOf(h, tool)).map((e) => e.action)).toEqual([
          'create',
          'update',
          'create',
          'delete',
        ]);
      } else {
        const error = await h.update({ id: row?.id }, { qty: 2 }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CaptureError);
        expect((error as CaptureError).reason).toBe('no-transaction');
        await expect(h.insert([item(2)])).rejects.toBeInstanceOf(CaptureError);
        await expect(h.delete({ id: row?.id })).rejects.toBeInstanceOf(CaptureError);
        expect(await h.rows()).toEqual([row]);
        expect((await entriesOf(h, tool)).map((e) => e.action)).toEqual(['create']);
      }
    });

    it('a write given no transaction whose entry fails leaves no business change', async () => {
      // The update template reads a field no row has: logging fails after the write.
      const { h, tool } = await open({ templates: { update: 'Item {after__missing} changed' } });
      const [row] = await h.transaction((tx) => h.insert([item(1)], { transaction: tx }));
      // Wrapped in its own transaction, the write fails on the template; refused, on the transaction.
      await expect(h.update({ id: row?.id }, { qty: 2 })).rejects.toBeInstanceOf(
        h.outsideTransaction === 'wraps' ? TemplateError : CaptureError,
      );
      expect(await h.rows()).toEqual([row]);
      expect((await entriesOf(h, tool)).map((e) => e.action)).toEqual(['create']);
    });
  });
}
