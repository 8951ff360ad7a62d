import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeViewer } from './browser';
import { ORDER, ORDER_STORY } from './fixture';

const [CREATED, PAID, CORRECTED, SHIPPED] = ORDER_STORY;
const artifacts = fileURLToPath(new URL('../test-artifacts', import.meta.url));
const entries = (page: Page) => page.locator('#timeline > li.entry');
const entry = (page: Page, message: string) =>
  entries(page).filter({ has: page.locator('.message', { hasText: message }) });
/** The state panel's rows as `{ field: cell text }`. */
const rows = async (page: Page) =>
  Object.fromEntries(
    await page
      .locator('#history tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-key'),
          Array.from(tr.querySelectorAll('td'), (td) => td.textContent).join(' → '),
        ]),
      ),
  );

describeViewer(
  "one object's history in headless Chromium",
  ['express', 'koa', 'fastify', 'hono'],
  {},
  (viewer, framework) => {
    it('shows the state after a chosen entry, and the diff between two chosen entries', async () => {
      const { page, complaints, close } = await viewer.open('staff');
      await page.goto(`${viewer.url}?object_type=${ORDER.type}&object_id=${ORDER.id}`);
      await expect
        .poll(() => page.locator('#status').textContent())
        .toBe(`Showing ${ORDER_STORY.length} of ${ORDER_STORY.length} events`);
      const order = await entries(page).locator('.message').allTextContents();
      expect(order[0]).toBe(SHIPPED);
      expect(order.at(-1)).toBe(CREATED);

      // The first state: every field of the snapshot, the card token masked.
      await entry(page, CREATED).getByRole('button', { name: 'State after this entry' }).click();
      await expect
        .poll(() => rows(page))
        .toEqual({
          status: 'new',
          total: '10',
          'card.last4': '4242',
          'card.token': 'masked',
        });
      expect(await page.locator('#history-title').textContent()).toMatch(
        /^State after the entry of /,
      );
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('history-title');

      // Paid and corrected share their instant: the state after the one ordered first (lower
      // in the newest-first timeline) leaves the other out, which the instant alone cannot.
      const paidFirst = order.indexOf(PAID as string) > order.indexOf(CORRECTED as string);
      await entry(page, PAID).getByRole('button', { name: 'State after this entry' }).click();
      await expect
        .poll(() => rows(page))
        .toMatchObject({
          status: 'paid',
          total: paidFirst ? '10' : '12',
        });
      await entry(page, CORRECTED).getByRole('button', { name: 'State after this entry' }).click();
      await expect
        .poll(() => rows(page))
        .toMatchObject({
          status: paidFirst ? 'paid' : 'new',
          total: '12',
        });

      // Two entries ticked: what changed from the older to the newer, whichever is ticked first.
      // A masked field is always listed, as in an entry's diff: whether it changed is hidden.
      await entry(page, SHIPPED).getByLabel('Compare').check();
      await entry(page, CREATED).getByLabel('Compare').check();
      await expect
        .poll(() => rows(page))
        .toEqual({
          status: 'new → shipped',
          total: '10 → 12',
          'card.token': 'masked → masked',
        });
      expect(await page.locator('#history-title').textContent()).toMatch(/^Changes between /);
      expect(await page.locator('#history tr[data-key=status]').getAttribute('class')).toBe(
        'changed',
      );
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, `history-${framework}.png`) });
      // A third tick drops the first one ticked.
      await entry(page, PAID).getByLabel('Compare').check();
      expect(await entry(page, SHIPPED).getByLabel('Compare').isChecked()).toBe(false);
      await expect
        .poll(() => rows(page))
        .toEqual({
          status: 'new → paid',
          ...(paidFirst ? {} : { total: '10 → 12' }),
          'card.token': 'masked → masked',
        });

      // Leaving the object clears the panel.
      await page.getByRole('link', { name: 'All events' }).click();
      await expect.poll(() => page.locator('#history').isHidden()).toBe(true);
      expect(await page.getByRole('button', { name: 'State after this entry' }).count()).toBe(0);
      expect(complaints.list).toEqual([]);
      await close();
    }, 60_000);
  },
);
