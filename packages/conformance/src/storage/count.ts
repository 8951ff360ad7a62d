import { EventLogService } from '@eventlog/core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { at, newEntry, query, uid, useHarness } from './support';

/** How many entries of the main tool the fixture writes. */
const MATCHES = 12;

/**
 * `withCount: true` counts at most `countLimit` matches: exact up to it, a lower bound marked
 * `countExact: false` beyond it; `withCount: 'exact'` counts every match. Both apply every filter
 * and ignore cursor, offset and limit.
 */
export function countTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('count', () => {
    const s = useHarness(options);
    let tool: string;
    let other: string;

    beforeEach(async () => {
      tool = uid('tool');
      other = uid('tool');
      await s.harness().storage.insert([
        ...Array.from({ length: MATCHES }, (_, i) =>
          newEntry({
            timestamp: at(i),
            tool,
            action: i % 2 === 0 ? 'create' : 'update',
            message: i % 3 === 0 ? `Needle ${i} found` : `Entry ${i}`,
          }),
        ),
        ...Array.from({ length: 3 }, (_, i) => newEntry({ timestamp: at(100 + i), tool: other })),
      ]);
    });

    const counted = async (q: Parameters<typeof query>[0]) => {
      const page = await s.harness().storage.find(query(q));
      return { count: page.count, countExact: page.countExact };
    };

    it('is exact up to countLimit, whatever the page', async () => {
      expect(await counted({ tool, withCount: true, countLimit: MATCHES })).toEqual({
        count: MATCHES,
        countExact: true,
      });
      expect(await counted({ tool, withCount: true, countLimit: 50, limit: 2, offset: 3 })).toEqual(
        { count: MATCHES, countExact: true },
      );
    });

    it('stops at countLimit and says countExact: false when more match', async () => {
      expect(await counted({ tool, withCount: true, countLimit: MATCHES - 1 })).toEqual({
        count: MATCHES - 1,
        countExact: false,
      });
      const page = await s
        .harness()
        .storage.find(query({ tool, withCount: true, countLimit: 5, limit: 2, offset: 8 }));
      expect(page.results).toHaveLength(2);
      expect({ count: page.count, countExact: page.countExact }).toEqual({
        count: 5,
        countExact: false,
      });
    });

    it('ignores the cursor: a later page reports the same count', async () => {
      const first = await s
        .harness()
        .storage.find(query({ tool, withCount: true, countLimit: 5, limit: 4 }));
      const second = await s
        .harness()
        .storage.find(
          query({ tool, withCount: true, countLimit: 5, limit: 4, cursor: first.nextCursor }),
        );
      expect(second.results).toHaveLength(4);
      expect([second.count, second.countExact]).toEqual([5, false]);
    });

    it("withCount: 'exact' counts every match, whatever countLimit", async () => {
      expect(await counted({ tool, withCount: 'exact', countLimit: 5 })).toEqual({
        count: MATCHES,
        countExact: true,
      });
    });

    it('applies every filter before the limit', async () => {
      const cases: [Parameters<typeof query>[0], number, boolean][] = [
        [{ tool, action: 'update', countLimit: 5 }, 5, false],
        [{ tool, action: 'update', countLimit: 6 }, 6, true],
        [{ tool, search: 'needle', countLimit: 5 }, 4, true],
        [{ tool, search: 'needle', countLimit: 3 }, 3, false],
        [{ tool: other, search: 'needle', countLimit: 5 }, 0, true],
        [{ tool: [tool, other], countLimit: 14 }, 14, false],
        [{ tool: [tool, other], countLimit: 15 }, 15, true],
        [{ tool, from: at(4), to: at(10), countLimit: 6 }, 6, true],
        [{ tool, from: at(4), to: at(10), countLimit: 5 }, 5, false],
      ];
      for (const [q, count, countExact] of cases) {
        expect({ q, ...(await counted({ ...q, withCount: true })) }).toEqual({
          q,
          count,
          countExact,
        });
      }
    });

    it('adds neither count nor countExact without withCount', async () => {
      const page = await s.harness().storage.find(query({ tool, countLimit: 5 }));
      expect(Object.keys(page).sort()).toEqual(['nextCursor', 'results']);
    });

    it("list() stops at the service's countLimit unless the query says otherwise", async () => {
      const service = new EventLogService(s.harness().storage, { countLimit: 3 });
      const capped = await service.list({ tool, withCount: true, limit: 1 });
      expect([capped.count, capped.countExact]).toEqual([3, false]);
      const wider = await service.list({ tool, withCount: true, countLimit: 20 });
      expect([wider.count, wider.countExact]).toEqual([MATCHES, true]);
      const exact = await service.list({ tool, withCount: 'exact' });
      expect([exact.count, exact.countExact]).toEqual([MATCHES, true]);
    });
  });
}
