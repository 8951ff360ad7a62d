import type { EventLog, EventLogQuery } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { at, compareEntries, newEntry, query, uid, useHarness, walk } from './support';

/**
 * Messages that put LIKE metacharacters, mixed case, non-ASCII letters, characters outside the
 * BMP and FTS query syntax (quotes, `*`, `:`) in the way of a search index.
 */
const MESSAGES = [
  'Item Alpha was updated',
  'item ALPHA was deleted',
  'Discount 100% applied',
  'Discount 1000 applied',
  'user_name changed',
  'username changed',
  'Saved to C:\\temp\\x!',
  'Ünïcödé Ωmega 🎉',
  'ωMEGA lowercase?',
  'He said "AND" NOT * OR: NEAR(a b)',
  'ab',
];

/** ASCII letters folded, every other character as it is: the case-insensitivity every backend keeps. */
const asciiLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
const contains = (message: string, search: string) =>
  asciiLower(message).includes(asciiLower(search));

/**
 * Patterns on both sides of the three characters a trigram index needs (an index serves the
 * longer ones, the shorter ones scan), whose matches do not depend on how a backend folds the
 * case of non-ASCII letters.
 */
const PATTERNS = [
  // Shorter than a trigram.
  'ab',
  'AL',
  '%',
  '_',
  '\\',
  '!',
  '"',
  '🎉',
  'é ',
  // Three characters and more.
  'alpha',
  'ITEM ALPHA',
  'lPh',
  '100%',
  '0% ',
  '%%%',
  'user_name',
  'r_n',
  '___',
  'C:\\temp',
  '\\x!',
  'ÜNïCöDé',
  'A 🎉',
  '"and"',
  'not *',
  'OR: near(',
  'never anywhere',
];

/** `search`: a case-insensitive (ASCII) substring, the same whether an index serves it or not. */
export function searchTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('search', () => {
    const s = useHarness(options);

    async function seed(tool: string, messages = MESSAGES, from = 0): Promise<EventLog[]> {
      const entries = messages.map((message, i) =>
        newEntry({ tool, message, timestamp: at(from + i) }),
      );
      return s.harness().storage.insert(entries);
    }

    /** The messages `q` finds (asc, one page), checked against its count. */
    async function found(q: EventLogQuery): Promise<string[]> {
      const page = await s.harness().storage.find(query({ ...q, order: 'asc', withCount: true }));
      expect(page.count).toBe(page.results.length);
      return page.results.map((e) => e.message);
    }

    it('short and long patterns, LIKE metacharacters, mixed case, non-ASCII: the substring in plain code', async () => {
      const tool = uid('tool');
      const stored = (await seed(tool)).sort(compareEntries);
      for (const search of PATTERNS) {
        const want = stored.filter((e) => contains(e.message, search)).map((e) => e.message);
        expect({ search, found: await found({ tool, search }) }).toEqual({ search, found: want });
      }
    });

    it('a longer pattern finds a subset of what its prefix finds, whatever the case folding', async () => {
      const tool = uid('tool');
      await seed(tool);
      // A trigram index may fold more than the backend's own comparison (all of Unicode, not
      // ASCII only): what it serves must not find more than the scan of a shorter prefix.
      for (const [prefix, longer] of [
        ['ωm', 'ωmega'],
        ['Ωm', 'ΩMEGA'],
        ['üN', 'üNïcödé'],
        ['Ün', 'ÜNÏCÖDÉ'],
        ['%', '%%%'],
      ] as const) {
        const broad = await found({ tool, search: prefix });
        const narrow = await found({ tool, search: longer });
        expect({ longer, extra: narrow.filter((m) => !broad.includes(m)) }).toEqual({
          longer,
          extra: [],
        });
      }
    });

    it('with other filters and across pages', async () => {
      const tool = uid('tool');
      const other = uid('tool');
      await seed(other);
      const stored = await seed(tool, [...MESSAGES, ...MESSAGES], 100);
      const want = stored.filter((e) => contains(e.message, 'Alpha')).sort(compareEntries);
      expect(want).toHaveLength(4);
      const pages = await walk(s.harness().storage, {
        tool,
        search: 'alpha',
        limit: 1,
        order: 'asc',
      });
      expect(pages.flat().map((e) => e.id)).toEqual(want.map((e) => e.id));
      const from = want[1]?.timestamp as Date;
      expect(await found({ tool, search: 'ALPHA', from })).toEqual(
        want.slice(1).map((e) => e.message),
      );
    });

    it('after a purge: the deleted entries are no longer found, later ones are', async () => {
      const tool = uid('tool');
      await seed(tool, ['old needle one', 'old needle two', 'ne'], 0);
      await seed(tool, ['new needle'], 1000);
      expect(await s.harness().storage.deleteBefore(at(500))).toBe(3);
      expect(await found({ tool, search: 'needle' })).toEqual(['new needle']);
      expect(await found({ tool, search: 'ne' })).toEqual(['new needle']);
      await seed(tool, ['newer needle', 'old needle one'], 2000);
      expect(await found({ tool, search: 'needle' })).toEqual([
        'new needle',
        'newer needle',
        'old needle one',
      ]);
    });

    it('an entry rolled back with its transaction is never found; one written later is', async (ctx) => {
      const h = s.harness();
      if (!h.storage.capabilities.transactions || !h.withTransaction) {
        return ctx.skip('storage does not declare the transactions capability');
      }
      const tool = uid('tool');
      const rollback = new Error('rollback');
      await expect(
        h.withTransaction(async (tx) => {
          await h.storage.insert([newEntry({ tool, message: 'ghost needle' })], {
            transaction: tx,
          });
          throw rollback;
        }),
      ).rejects.toBe(rollback);
      expect(await found({ tool, search: 'ghost needle' })).toEqual([]);
      await seed(tool, ['ghost needle']);
      expect(await found({ tool, search: 'GHOST' })).toEqual(['ghost needle']);
    });

    it('a row another tool wrote, bypassing the adapter, is found', async (ctx) => {
      const h = s.harness();
      if (!h.writeRaw) return ctx.skip(`${options.name} has no writeRaw hook`);
      const tool = uid('tool');
      await h.writeRaw({
        timestamp: '2024-03-01T10:00:00.000002Z',
        message: 'Written By Hand',
        tool,
        action: 'a',
      });
      expect(await found({ tool, search: 'by hand' })).toEqual(['Written By Hand']);
      expect(await found({ search: `y h` })).toContain('Written By Hand');
    });
  });
}
