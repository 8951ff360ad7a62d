import { describe, expect, it } from 'vitest';
import type { CaptureConformanceOptions } from './harness';
import { entriesOf, item, useCapture } from './support';

/** Captured entries are chained like any other: the log verifies after every kind of write. */
export function integrityTests<Tx>(options: CaptureConformanceOptions<Tx>): void {
  describe('with integrity on', () => {
    const open = useCapture(options);

    it('the chain verifies after creates, bulk updates, deletes, reverts and a rollback', async () => {
      const { h, tool } = await open({ exclude: ['note', 'password'] }, true);
      const rows = await h.transaction((tx) =>
        h.insert(
          Array.from({ length: 20 }, (_, i) => item(i)),
          { transaction: tx },
        ),
      );
      await h.transaction((tx) => h.update({ status: 'open' }, { qty: 100 }, { transaction: tx }));
      await h.transaction((tx) => h.delete({ id: rows[0]?.id }, { transaction: tx }));
      await h
        .transaction(async (tx) => {
          await h.update({ status: 'open' }, { qty: 5 }, { transaction: tx });
          throw new Error('rolled back');
        })
        .catch(() => undefined);
      const deleted = (await entriesOf(h, tool)).at(-1);
      await h.transaction((tx) => h.revert(deleted?.id ?? '', { transaction: tx }));
      const entries = await entriesOf(h, tool);
      expect(entries).toHaveLength(20 + 20 + 1 + 1);
      expect(await h.eventlog.verify()).toMatchObject({ ok: true, checked: entries.length });
    }, 60_000);
  });
}
