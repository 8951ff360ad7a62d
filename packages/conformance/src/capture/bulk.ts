import type { EventLog } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { CaptureConformanceOptions } from './harness';
import { entriesOf, item, useCapture } from './support';

const ROWS = 1000;

/** The batch id an entry was written with, when the storage stores one. */
const batchOf = (e: EventLog) => (e as EventLog & { batchId?: string | null }).batchId;

/** Set-based writes: one entry per affected row, each with its own diff, one batch per statement. */
export function bulkTests<Tx>(options: CaptureConformanceOptions<Tx>): void {
  describe('bulk writes', () => {
    const open = useCapture(options);

    it(`a bulk update of ${ROWS} rows logs ${ROWS} entries with exact per-row diffs`, async () => {
      const { h, tool } = await open();
      const created = await h.transaction((tx) =>
        h.insert(
          Array.from({ length: ROWS }, (_, i) =>
            item(i, { status: i % 2 === 0 ? 'open' : 'held' }),
          ),
          { transaction: tx },
        ),
      );
      expect(created).toHaveLength(ROWS);
      // Rows differ in qty and status: each entry must carry its own row's old values.
      const after = await h.transaction((tx) =>
        h.update({}, { status: 'closed', qty: 5 }, { transaction: tx }),
      );
      expect(after).toHaveLength(ROWS);
      const updates = (await entriesOf(h, tool)).filter((e) => e.action === 'update');
      expect(updates).toHaveLength(ROWS);
      const byId = new Map(updates.map((e) => [e.objectId, e]));
      expect(byId.size).toBe(ROWS);
      for (const row of created) {
        const e = byId.get(String(row.id));
        const oldValue: Record<string, unknown> = {};
        const newValue: Record<string, unknown> = {};
        if (row.status !== 'closed') {
          oldValue.status = row.status;
          newValue.status = 'closed';
        }
        if (row.qty !== 5) {
          oldValue.qty = row.qty;
          newValue.qty = 5;
        }
        expect(e?.changes, `row ${row.id}`).toEqual({ oldValue, newValue });
      }
      // The one row that already had qty 5 changed its status only.
      expect(byId.get(String(created[5]?.id))?.changes?.newValue).toEqual({ status: 'closed' });
    }, 120_000);

    it('the entries of one statement share a batch id, another statement gets another', async (ctx) => {
      const { h, tool } = await open();
      await h.transaction((tx) => h.insert([item(1), item(2), item(3)], { transaction: tx }));
      await h.transaction((tx) => h.update({ status: 'open' }, { qty: 9 }, { transaction: tx }));
      const entries = await entriesOf(h, tool);
      if (!entries.every((e) => 'batchId' in e)) ctx.skip('the storage stores no batchId yet');
      const creates = entries.filter((e) => e.action === 'create').map(batchOf);
      const updates = entries.filter((e) => e.action === 'update').map(batchOf);
      expect(creates).toHaveLength(3);
      expect(updates).toHaveLength(3);
      expect(typeof creates[0]).toBe('string');
      expect(new Set(creates).size).toBe(1);
      expect(new Set(updates).size).toBe(1);
      expect(updates[0]).not.toBe(creates[0]);
    });

    it('a bulk delete logs one snapshot per row it removed', async () => {
      const { h, tool } = await open();
      const rows = await h.transaction((tx) =>
        h.insert([item(1), item(2, { status: 'held' }), item(3)], { transaction: tx }),
      );
      const removed = await h.transaction((tx) =>
        h.delete({ status: 'open' }, { transaction: tx }),
      );
      expect(removed.map((r) => r.id).sort()).toEqual([rows[0]?.id, rows[2]?.id].sort());
      const deletes = (await entriesOf(h, tool)).filter((e) => e.action === 'delete');
      expect(deletes.map((e) => e.objectId).sort()).toEqual(
        [String(rows[0]?.id), String(rows[2]?.id)].sort(),
      );
      expect(await h.rows()).toEqual([rows[1]]);
    });
  });
}
