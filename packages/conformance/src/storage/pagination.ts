import { ValidationError } from '@eventlog/core';
import { encodeCursor } from '@eventlog/core/storage';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { at, compareEntries, ids, newEntry, query, uid, useHarness, walk } from './support';

/** Keyset walks, offsets, counts, and cursors that were not issued by the adapter. */
export function paginationTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('pagination', () => {
    const s = useHarness(options);

    async function seed(n: number, tool = uid('tool')) {
      const stored = await s.harness().storage.insert(
        // Some equal timestamps on purpose: the cursor must carry the id too.
        Array.from({ length: n }, (_, i) =>
          newEntry({ tool, timestamp: at(Math.floor(i / 2)), message: `m${i}` }),
        ),
      );
      return { tool, stored };
    }

    it('a keyset walk meets every entry exactly once, in both orders', async () => {
      const { tool, stored } = await seed(11);
      for (const order of ['asc', 'desc'] as const) {
        const pages = await walk(s.harness().storage, { tool, order, limit: 3 });
        expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 2]);
        const sorted = [...stored].sort(compareEntries);
        expect(ids(pages.flat())).toEqual(ids(order === 'asc' ? sorted : sorted.reverse()));
      }
    });

    it('the last full page has no cursor when nothing follows it', async () => {
      const { tool } = await seed(6);
      const pages = await walk(s.harness().storage, { tool, limit: 3 });
      expect(pages.map((p) => p.length)).toEqual([3, 3]);
    });

    it('a keyset walk with inserts during it meets every original entry exactly once', async () => {
      const h = s.harness();
      const { tool, stored } = await seed(12);
      const added: string[] = [];
      for (const order of ['desc', 'asc'] as const) {
        const pages = await walk(h.storage, { tool, order, limit: 4 }, async (i) => {
          // Newer, older and equal-timestamp entries land before and after the cursor.
          const more = await h.storage.insert([
            newEntry({ tool, timestamp: at(100 + i), message: 'newer' }),
            newEntry({ tool, timestamp: at(-100 - i), message: 'older' }),
            newEntry({ tool, timestamp: at(3), message: 'tie' }),
          ]);
          added.push(...ids(more));
        });
        const seen = ids(pages.flat());
        expect(new Set(seen).size).toBe(seen.length);
        const originals = seen.filter((id) => !added.includes(id));
        expect(originals.sort()).toEqual(ids(stored).sort());
        const walked = pages.flat();
        const sorted = [...walked].sort(compareEntries);
        expect(ids(walked)).toEqual(ids(order === 'asc' ? sorted : sorted.reverse()));
      }
    });

    it('offset skips rows of the same order; count ignores offset, cursor and limit', async () => {
      const h = s.harness();
      const { tool, stored } = await seed(9);
      const sorted = [...stored].sort(compareEntries).reverse();
      const page = await h.storage.find(query({ tool, offset: 2, limit: 3, withCount: true }));
      expect(ids(page.results)).toEqual(ids(sorted.slice(2, 5)));
      expect(page.count).toBe(9);
      expect(page.nextCursor).not.toBeNull();
      const last = await h.storage.find(query({ tool, offset: 6, limit: 3, withCount: true }));
      expect(ids(last.results)).toEqual(ids(sorted.slice(6)));
      expect(last.nextCursor).toBeNull();
      const beyond = await h.storage.find(query({ tool, offset: 50, withCount: true }));
      expect(beyond).toEqual({ results: [], nextCursor: null, count: 9, countExact: true });
      const first = await h.storage.find(query({ tool, limit: 2 }));
      const second = await h.storage.find(
        query({ tool, limit: 2, cursor: first.nextCursor, withCount: true }),
      );
      expect(second.count).toBe(9);
      expect(ids(second.results)).toEqual(ids(sorted.slice(2, 4)));
    });

    it('count is present only when asked for, and follows the filters', async () => {
      const h = s.harness();
      const { tool } = await seed(4);
      await seed(3);
      expect((await h.storage.find(query({ tool }))).count).toBeUndefined();
      expect((await h.storage.find(query({ tool, withCount: true, limit: 1 }))).count).toBe(4);
    });

    it('a forged, truncated or foreign-order cursor is a ValidationError on cursor', async () => {
      const h = s.harness();
      const { tool } = await seed(5);
      const first = await h.storage.find(query({ tool, limit: 2 }));
      const good = first.nextCursor as string;
      expect(good).toEqual(expect.any(String));
      const bad = [
        'not-a-cursor',
        good.slice(0, Math.floor(good.length / 2)),
        Buffer.from('{"a":1}').toString('base64url'),
        encodeCursor('desc', ['not-a-date', 'x']),
      ];
      for (const cursor of bad) {
        const error = await h.storage.find(query({ tool, cursor })).catch((e: unknown) => e);
        expect(error, cursor).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues[0]?.path).toEqual(['cursor']);
      }
      const foreign = await h.storage
        .find(query({ tool, cursor: good, order: 'asc' }))
        .catch((e: unknown) => e);
      expect(foreign).toBeInstanceOf(ValidationError);
      // The service lets the adapter's ValidationError through instead of calling it a StorageError.
      await expect(s.service().list({ tool, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(
        ValidationError,
      );
    });

    it('a real cursor with an impossible date in any key part is a ValidationError on cursor', async () => {
      const h = s.harness();
      const { tool } = await seed(5);
      const first = await h.storage.find(query({ tool, limit: 2 }));
      // The envelope is core's (`encodeCursor`); which key part holds the time is the adapter's.
      const [, ...key] = JSON.parse(
        Buffer.from(first.nextCursor as string, 'base64url').toString('utf8'),
      ) as string[];
      const impossible = [
        '2024-13-45T99:99:99.999999Z',
        '2024-02-30T12:00:00.000000Z',
        '2023-02-29T00:00:00.000000Z',
        '2024-01-01T24:00:00.000000Z',
        '2024-01-01T23:59:60.000000Z',
        '0000-01-01T00:00:00.000000Z',
        '2024-02-30T12:00:00.000Z',
      ];
      for (let i = 0; i < key.length; i++) {
        for (const date of impossible) {
          const forged = key.map((part, j) => (j === i ? date : part));
          const cursor = encodeCursor('desc', forged);
          const error = await h.storage.find(query({ tool, cursor })).catch((e: unknown) => e);
          expect(error, `${date} in part ${i}`).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).issues[0]?.path).toEqual(['cursor']);
        }
      }
    });

    it('the service validates queries and names the field', async () => {
      for (const [q, field] of [
        [{ limit: 0 }, 'limit'],
        [{ limit: 100_000 }, 'limit'],
        [{ from: at(10), to: at(0) }, 'from'],
        [{ objectId: '1' }, 'objectId'],
        [{ offset: -1 }, 'offset'],
      ] as const) {
        const error = await s
          .service()
          .list(q)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues.map((i) => i.path[0])).toContain(field);
      }
    });
  });
}
