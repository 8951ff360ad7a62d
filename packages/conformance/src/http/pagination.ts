import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsOf, ordered, ROLE, type RunningApp, SEEDED, startApp } from './fixture';
import type { HttpContractOptions } from './types';

type Page = {
  count?: number;
  next: string | null;
  previous: string | null;
  results: { id: string; timestamp: string; tool: string }[];
};

/** Cursor and page-number walks: every entry exactly once, links keep base path and filters. */
export function paginationContract(options: HttpContractOptions, base: string): void {
  describe('pagination', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(options, base);
    });
    afterAll(() => app.close());

    const get = async (url: string): Promise<Page> =>
      (await app.http.get(url).set(ROLE, 'staff').expect(200)).body;

    async function walk(first: string): Promise<Page[]> {
      const pages: Page[] = [];
      let url: string | null = first;
      while (url !== null && pages.length <= SEEDED) {
        const page: Page = await get(url);
        pages.push(page);
        if (page.next !== null) expect(page.next.startsWith(`${app.base}/?`)).toBe(true);
        url = page.next;
      }
      return pages;
    }

    for (const order of ['desc', 'asc'] as const) {
      it(`cursor walk (order=${order}) meets every entry once, in order`, async () => {
        const pages = await walk(`${app.base}/?limit=7&order=${order}`);
        const rows = pages.flatMap((p) => p.results);
        expect(pages).toHaveLength(Math.ceil(SEEDED / 7));
        expect(rows.map((r) => r.id).sort()).toEqual(idsOf(app.entries));
        expect(ordered(rows, order)).toBe(true);
        for (const p of pages) expect(p).not.toHaveProperty('count');
        for (const p of pages) expect(p.previous).toBeNull();
      });
    }

    it('cursor links keep the filters and with_count', async () => {
      const pages = await walk(`${app.base}/?tool=alpha&tool=beta&limit=5&with_count=true`);
      const rows = pages.flatMap((p) => p.results);
      const expected = idsOf(app.entries.filter((e) => e.tool !== 'gamma'));
      expect(rows.map((r) => r.id).sort()).toEqual(expected);
      for (const p of pages) expect(p.count).toBe(expected.length);
      expect(pages[0]?.next).toMatch(/[?&]tool=alpha&tool=beta&/);
    });

    it('page walk meets every entry once; count always; previous links back', async () => {
      const pages = await walk(`${app.base}/?page_size=9&search=entry`);
      const rows = pages.flatMap((p) => p.results);
      expect(pages).toHaveLength(Math.ceil(SEEDED / 9));
      expect(rows.map((r) => r.id).sort()).toEqual(idsOf(app.entries));
      expect(ordered(rows, 'desc')).toBe(true);
      for (const p of pages) expect(p.count).toBe(SEEDED);
      expect(pages[0]?.previous).toBeNull();
      const second = pages[1] as Page;
      expect(second.previous).toBe(`${app.base}/?page_size=9&search=entry&page=1`);
      const back = await get(second.previous as string);
      expect(back.results).toEqual(pages[0]?.results);
    });

    it('a page past the end is empty with the count', async () => {
      const page = await get(`${app.base}/?page=100&page_size=10`);
      expect(page.results).toEqual([]);
      expect(page.count).toBe(SEEDED);
      expect(page.next).toBeNull();
      expect(page.previous).toBe(`${app.base}/?page_size=10&page=99`);
    });
  });
}
