import { describeBrowser, useBrowser } from '@eventlog/test-servers/chromium';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPage } from './browser';
import { seededService, TOTAL } from './fixture';
import { frameworks, MOUNT, type Mounted } from './servers';

const SLOW = 60_000;
/** Below `TOTAL`: the unfiltered count stops there. */
const LIMIT = 55;
const settled = (page: Page, text: string | RegExp) =>
  expect.poll(() => page.locator('#status').textContent()).toMatch(text);

describeBrowser('viewer: a count that stopped at the service’s countLimit', () => {
  const chromium = useBrowser();
  let fixture: Awaited<ReturnType<typeof seededService>>;
  let app: Mounted;
  beforeAll(async () => {
    fixture = await seededService({ countLimit: LIMIT });
    app = await frameworks.express.mount(fixture.service);
  });
  afterAll(async () => {
    await app?.close();
    await fixture?.close();
  });

  it(
    'says "55+" rather than passing the limit off as the total, and the total once all is shown',
    async () => {
      const { page, complaints, close } = await openPage(chromium.browser, app.base, 'staff');
      await page.goto(`${app.base}${MOUNT}/`);
      await settled(page, `Showing 50 of ${LIMIT}+ events`);
      await page.getByRole('button', { name: 'Load more' }).dispatchEvent('click');
      await settled(page, `Showing ${TOTAL} of ${TOTAL} events`);
      // Under the limit the count is exact: no "+".
      await page.getByLabel('Tool').fill('billing');
      await page.getByRole('button', { name: 'Apply' }).click();
      await settled(page, /^Showing (\d+) of \1 events$/);
      expect(complaints.list).toEqual([]);
      await close();
    },
    SLOW,
  );
});
