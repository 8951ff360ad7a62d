import type { EventLog } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { CaptureConformanceOptions } from './harness';
import { entriesOf, item, ofObject, useCapture } from './support';

const WRITERS = 8;

/**
 * Follows the diffs of one row from `start`: each entry's old `qty` must be the previous entry's
 * new one. Returns the values visited; entries left over (a fork or a gap) make it shorter.
 */
function chain(entries: readonly EventLog[], start: number): unknown[] {
  const byOld = new Map<unknown, EventLog[]>();
  for (const e of entries) {
    const old = e.changes?.oldValue.qty;
    byOld.set(old, [...(byOld.get(old) ?? []), e]);
  }
  const visited: unknown[] = [start];
  let at: unknown = start;
  for (;;) {
    const next = byOld.get(at);
    if (next === undefined || next.length !== 1) return visited;
    byOld.delete(at);
    at = next[0]?.changes?.newValue.qty;
    visited.push(at);
  }
}

/** Concurrent transactions on the same rows: the before-state is read under the write's lock. */
export function concurrencyTests<Tx>(options: CaptureConformanceOptions<Tx>): void {
  describe('concurrency', () => {
    const open = useCapture(options);

    it(`${WRITERS} concurrent transactions on overlapping rows log diffs that chain, none lost`, async () => {
      const { h, tool } = await open();
      const rows = await h.transaction((tx) =>
        h.insert(
          Array.from({ length: 6 }, (_, i) => item(i, { qty: 0, status: i < 4 ? 'open' : 'held' })),
          { transaction: tx },
        ),
      );
      // Writer w sets qty to w+1 on the open rows, or on the held rows and the last open one:
      // every row is written by several writers, each value once per row.
      const last = rows[3]?.id;
      await Promise.all(
        Array.from({ length: WRITERS }, (_, w) =>
          h.transaction(async (tx) => {
            if (w % 2 === 0)
              await h.update({ status: 'open' }, { qty: w + 1 }, { transaction: tx });
            else {
              await h.update({ status: 'held' }, { qty: w + 1 }, { transaction: tx });
              await h.update({ id: last }, { qty: w + 1 }, { transaction: tx });
            }
          }),
        ),
      );
      const entries = (await entriesOf(h, tool)).filter((e) => e.action === 'update');
      const final = new Map((await h.rows()).map((r) => [String(r.id), r.qty]));
      const expected = { open: WRITERS / 2, held: WRITERS / 2 };
      for (const row of rows) {
        const mine = ofObject(entries, row.id);
        const count = row.id === last ? WRITERS : expected[row.status as 'open' | 'held'];
        expect(mine, `row ${row.id}`).toHaveLength(count);
        const visited = chain(mine, 0);
        expect(visited, `row ${row.id}`).toHaveLength(count + 1);
        expect(visited.at(-1), `row ${row.id}`).toBe(final.get(String(row.id)));
      }
    }, 60_000);
  });
}
