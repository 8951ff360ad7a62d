import { DEFAULT_TABLE_NAME } from '@eventlog/adapter-knex';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { describeBrowser, launch, openPage } from './browser';
import { seededService } from './fixture';
import { type Framework, frameworks, MOUNT, type Mounted } from './servers';

describeBrowser('integrity panel in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const framework of ['express', 'koa'] as Framework[]) {
    describeBrowser(`mounted by ${framework}`, () => {
      let fixture: Awaited<ReturnType<typeof seededService>>;
      let app: Mounted;
      beforeAll(async () => {
        fixture = await seededService({ integrity: true });
        await fixture.service.checkpoint({ partition: 'billing' });
        app = await frameworks[framework].mount(fixture.service, true);
      });
      afterAll(async () => {
        await app?.close();
        await fixture?.close();
      });

      it('shows staff each chain with its last checkpoint, a broken one at once, and auditors nothing', async () => {
        const { page, complaints, close } = await openPage(browser, app.base, 'staff');
        const url = `${app.base}${MOUNT}/`;
        await page.goto(url);
        const summary = page.locator('#integrity > summary');
        await expect.poll(() => summary.textContent()).toBe('Integrity: 5 chains intact');
        expect(await page.locator('#integrity').getAttribute('open')).toBeNull();
        await summary.click();
        const cells = (partition: string) =>
          page.locator(`#integrity tr[data-partition="${partition}"] td`).allTextContents();
        const billing = await cells('billing');
        expect(billing[0]).toBe('Intact');
        expect(billing[1]).toMatch(/^entry 20, /);
        expect(billing[2]).toBe('entries 20 to 20 (1 intact)');
        expect(await cells('inventory')).toEqual([
          'Intact',
          'none taken',
          'entries 1 to 21 (21 intact)',
        ]);

        // An entry rewritten in the database: its chain shows broken, the panel open.
        const [victim] = (
          await fixture.service.list({ tool: 'inventory', order: 'asc', limit: 3 })
        ).results.slice(2);
        await fixture
          .knex(DEFAULT_TABLE_NAME)
          .where('id', victim?.id)
          .update({ message: 'Nothing here' });
        await page.reload();
        await expect.poll(() => summary.textContent()).toBe('Integrity: 1 of 5 chains broken');
        expect(await page.locator('#integrity').getAttribute('open')).toBe('');
        expect((await cells('inventory'))[0]).toMatch(
          /^Broken at entry 3: .*does not match its hash/,
        );
        expect(await seriousViolations(page)).toEqual([]);
        expect(complaints.list).toEqual([]);
        await close();

        // Auditors read the log but not its integrity: no panel, and the route refuses them.
        const auditor = await openPage(browser, app.base, 'auditor');
        await auditor.page.goto(url);
        await expect.poll(() => auditor.page.locator('#status').textContent()).toMatch(/^Showing/);
        expect(await auditor.page.locator('#integrity').count()).toBe(0);
        const refused = await auditor.page.request.get(`${url}api/integrity`);
        expect(refused.status()).toBe(403);
        expect(auditor.complaints.list).toEqual([]);
        await auditor.close();
      }, 90_000);
    });
  }
});
