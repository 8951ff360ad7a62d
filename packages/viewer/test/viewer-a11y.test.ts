import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { describeViewer } from './browser';
import { ORDER, ORDER_STORY } from './fixture';

const settled = (page: Page, text: RegExp) =>
  expect.poll(() => page.locator('#status').textContent()).toMatch(text);

describeViewer('viewer accessibility (axe-core)', ['express', 'koa'], {}, (viewer, framework) => {
  // Colours do not depend on the mount: the dark scheme is checked once.
  const schemes = framework === 'express' ? (['light', 'dark'] as const) : (['light'] as const);
  for (const colorScheme of schemes) {
    it(`finds nothing serious on the timeline, an expanded diff and one object (${colorScheme})`, async () => {
      const { page, complaints, close } = await viewer.open('staff');
      await page.emulateMedia({ colorScheme });
      await page.goto(`${viewer.url}`);
      await settled(page, /^Showing 50/);
      expect(await seriousViolations(page)).toEqual([]);

      const entry = page.locator('li.entry', { hasText: 'Profile of Alice changed' });
      await entry.getByText(/^Changes/).click();
      await entry.locator('tr[data-key=bio] summary').click();
      await entry.getByText('Raw JSON').click();
      await entry.locator('.raw pre').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      await page.locator('li.entry', { hasText: 'Entry 53 in' }).getByRole('link').click();
      await settled(page, /^Showing 6 of 6/);
      await page
        .locator('li.entry')
        .first()
        .getByText(/^Changes/)
        .click();
      expect(await seriousViolations(page)).toEqual([]);
      expect(complaints.list).toEqual([]);
      await close();
    }, 90_000);
  }

  it("finds nothing serious on one object's history with a state, then a diff, shown", async () => {
    const { page, complaints, close } = await viewer.open('staff');
    await page.goto(`${viewer.url}?object_type=${ORDER.type}&object_id=${ORDER.id}`);
    await settled(page, /^Showing 4 of 4/);
    const entry = (message: string) => page.locator('li.entry', { hasText: message });
    await entry(ORDER_STORY[0]).getByRole('button', { name: 'State after this entry' }).click();
    await page.locator('#history tr[data-key="card.token"]').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await entry(ORDER_STORY[0]).getByLabel('Compare').check();
    await entry(ORDER_STORY[3]).getByLabel('Compare').check();
    await page.locator('#history tr.changed[data-key=status]').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect(complaints.list).toEqual([]);
    await close();
  }, 90_000);
});
