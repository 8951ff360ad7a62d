import { DEFAULT_TABLE_NAME } from '@eventlog/adapter-knex';
import { expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { describeViewer } from './browser';

describeViewer(
  'integrity panel in headless Chromium',
  ['express', 'koa'],
  {
    integrity: true,
    prepare: (fixture) => fixture.service.checkpoint({ partition: 'billing' }),
  },
  (viewer) => {
    it('shows staff each chain with its last checkpoint, a broken one at once, and auditors nothing', async () => {
      const { page, complaints, close } = await viewer.open('staff');
      const url = viewer.url;
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
        await viewer.fixture.service.list({ tool: 'inventory', order: 'asc', limit: 3 })
      ).results.slice(2);
      await viewer.fixture
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
      const auditor = await viewer.open('auditor');
      await auditor.page.goto(url);
      await expect.poll(() => auditor.page.locator('#status').textContent()).toMatch(/^Showing/);
      expect(await auditor.page.locator('#integrity').count()).toBe(0);
      const refused = await auditor.page.request.get(`${url}api/integrity`);
      expect(refused.status()).toBe(403);
      expect(auditor.complaints.list).toEqual([]);
      await auditor.close();
    }, 90_000);
  },
);
