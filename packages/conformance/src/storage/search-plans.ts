import type { EventLog, EventLogQuery } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { at, compareEntries, ids, newEntry, query, uid, useHarness } from './support';

/**
 * `search` over enough rows that a backend choosing its plan by the numbers (the phrase's
 * matches, the rows of the other filters) takes each of its plans: a phrase common in a tool of
 * few rows, common among many, rare but not among the newest rows, in thousands of rows but not
 * among the newest, narrowed by a piece of it that most rows hold, rare in a tool whose other
 * rows hold a piece of it. Each answers the same rows, in the same order, page after page.
 */
export function searchPlanTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('search plans', () => {
    const s = useHarness(options);

    /**
     * Stores `count` entries of `tool` one second apart, `word` in the messages `has` picks; each
     * changes the key `changed` when given.
     */
    async function seed(
      tool: string,
      count: number,
      word: string,
      has: (i: number) => boolean,
      changed?: string,
    ) {
      const changes = changed ? { oldValue: { [changed]: 1 }, newValue: { [changed]: 2 } } : null;
      const entries = Array.from({ length: count }, (_, i) =>
        newEntry({
          tool,
          timestamp: at(i),
          message: has(i) ? `Order ${i} was ${word} by User` : `Order ${i} was updated by User`,
          changes,
        }),
      );
      const stored = await s.harness().storage.insert(entries);
      return stored.filter((e) => e.message.includes(word)).sort(compareEntries);
    }

    /** The first `pages` pages of `q` through the cursor, and the count of the first. */
    async function pages(q: EventLogQuery, pages: number) {
      const found: EventLog[] = [];
      let cursor: string | null = null;
      let count: number | undefined;
      for (let i = 0; i < pages; i++) {
        const page = await s.harness().storage.find(query({ ...q, cursor, withCount: i === 0 }));
        count ??= page.count;
        found.push(...page.results);
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
      }
      return { ids: ids(found), count };
    }

    /** Both orders, three pages each, and a page after an offset, against `want` (ascending). */
    async function expectPages(q: EventLogQuery, want: EventLog[]) {
      const limit = q.limit ?? 2;
      const newest = [...want].reverse();
      expect(await pages({ ...q, limit, order: 'desc' }, 3)).toEqual({
        ids: ids(newest.slice(0, 3 * limit)),
        count: want.length,
      });
      expect(await pages({ ...q, limit, order: 'asc' }, 3)).toEqual({
        ids: ids(want.slice(0, 3 * limit)),
        count: want.length,
      });
      const offset = await s.harness().storage.find(query({ ...q, limit, offset: 5 }));
      expect(ids(offset.results)).toEqual(ids(newest.slice(5, 5 + limit)));
    }

    it('a phrase common elsewhere, inside a tool of few rows: its rows in order, page by page', async () => {
      const [rare, common, word] = [uid('tool'), uid('tool'), uid('w')];
      await seed(common, 300, word, () => true);
      const want = await seed(rare, 60, word, (i) => i % 3 === 0);
      expect(want).toHaveLength(20);
      await expectPages({ tool: rare, search: word, limit: 4 }, want);
      const all = await pages({ tool: rare, search: word.toUpperCase(), limit: 4 }, 10);
      expect(all.ids).toEqual(ids([...want].reverse()));
    });

    it('a phrase in half of many rows: pages from the newest and the oldest rows', async () => {
      const [tool, word] = [uid('tool'), uid('w')];
      const want = await seed(tool, 1000, word, (i) => i % 2 === 0);
      await expectPages({ tool, search: word }, want);
    });

    it('a phrase only in the oldest rows of many: the pages reach past the newest rows', async () => {
      const [tool, word] = [uid('tool'), uid('w')];
      const want = await seed(tool, 1000, word, (i) => i < 250);
      await expectPages({ tool, search: word }, want);
    });

    it('with one changed key: common among the newest rows, or only in the oldest', async () => {
      const [tool, word, key] = [uid('tool'), uid('w'), uid('key')];
      const want = await seed(tool, 1000, word, (i) => i < 250 || i % 2 === 0, key);
      await expectPages({ tool, search: word, changedKey: key }, want);
      const [oldTool, oldWord] = [uid('tool'), uid('w')];
      const old = await seed(oldTool, 1000, oldWord, (i) => i < 250, key);
      await expectPages({ tool: oldTool, search: oldWord, changedKey: key }, old);
    });

    it('a phrase whose pieces are in every row of the tool: only the rows holding all of it, in any case', async () => {
      const [tool, word] = [uid('tool'), uid('w')];
      // Every third message holds the phrase, every third in capitals, every third all of it
      // but its last character: a plan that narrows by a piece of the phrase must still test it.
      const text = (i: number) => [word, word.toUpperCase(), word.slice(0, -1)][i % 3];
      const entries = Array.from({ length: 900 }, (_, i) =>
        newEntry({ tool, timestamp: at(i), message: `Order ${i} was ${text(i)} by User` }),
      );
      const stored = await s.harness().storage.insert(entries);
      const want = stored
        .filter((e) => e.message.toLowerCase().includes(word))
        .sort(compareEntries);
      expect(want).toHaveLength(600);
      await expectPages({ tool, search: word }, want);
      await expectPages({ search: word.toUpperCase(), limit: 5 }, want);
    });

    it("a phrase rare in a tool, a piece of it in more of its rows: only the tool's rows holding all of it", async () => {
      const [tool, other, word] = [uid('tool'), uid('tool'), uid('w')];
      await seed(other, 100, word, () => true);
      // Every tenth message holds the phrase (every other one in capitals), every tenth more
      // all of it but its first character: a plan narrowing by a piece must still test the
      // phrase, and keep to the tool.
      const text = (i: number) =>
        i % 10 === 0
          ? i % 20 === 0
            ? word.toUpperCase()
            : word
          : i % 10 === 5
            ? word.slice(1)
            : 'updated';
      const entries = Array.from({ length: 300 }, (_, i) =>
        newEntry({ tool, timestamp: at(i), message: `Order ${i} was ${text(i)} by User` }),
      );
      const stored = await s.harness().storage.insert(entries);
      const want = stored
        .filter((e) => e.message.toLowerCase().includes(word))
        .sort(compareEntries);
      expect(want).toHaveLength(30);
      await expectPages({ tool, search: word }, want);
      await expectPages({ tool, search: word.toUpperCase(), limit: 4 }, want);
    });

    it('a phrase in thousands of rows, none among the newest: the pages reach them', async () => {
      const [tool, word] = [uid('tool'), uid('w')];
      const want = await seed(tool, 2600, word, (i) => i < 2100);
      await expectPages({ tool, search: word }, want);
    });
  });
}
