import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeViewer } from './browser';
import { HOSTILE, PROFILE_BATCH, SEEDED, START, TOTAL } from './fixture';

const artifacts = fileURLToPath(new URL('../test-artifacts', import.meta.url));
// A browser on a shared 2-core machine: each test drives several page loads.
const SLOW = 60_000;
const entries = (page: Page) => page.locator('#timeline > li.entry');
const messages = (page: Page) => entries(page).locator('.message').allTextContents();
const shown = (page: Page, n: number) =>
  page.waitForFunction((n) => document.querySelectorAll('#timeline > li').length === n, n);
/** Waits until the status line settles on `text` (the list has been fetched and rendered). */
const settled = (page: Page, text: string | RegExp) =>
  expect.poll(() => page.locator('#status').textContent()).toMatch(text);

describeViewer(
  'viewer in headless Chromium',
  ['express', 'koa', 'fastify', 'hono'],
  {},
  (viewer, framework) => {
    it('pages newest first with "load more", filters, and keeps the filters in the URL', async () => {
      const { page, complaints, close } = await viewer.open('staff');
      await page.goto(viewer.url);
      await settled(page, `Showing 50 of ${TOTAL} events`);
      expect((await messages(page)).slice(0, 3)).toEqual([
        HOSTILE,
        'Profile of Alice changed',
        `Entry ${SEEDED - 1} in auth`,
      ]);
      const time = entries(page).nth(2).locator('time');
      expect(await time.getAttribute('datetime')).toBe(
        new Date(START + (SEEDED - 1) * 60_000).toISOString(),
      );
      expect(await time.getAttribute('title')).toBe(
        `${new Date(START + (SEEDED - 1) * 60_000).toISOString()} (UTC)`,
      );

      // The button, pressed where it is (scrolling to it would load the next page by itself).
      await page.getByRole('button', { name: 'Load more' }).dispatchEvent('click');
      await shown(page, TOTAL);
      await settled(page, `Showing ${TOTAL} of ${TOTAL} events`);
      expect(await page.locator('#more').isHidden()).toBe(true);
      expect((await messages(page)).at(-1)).toBe('Entry 0 in inventory');
      // Scrolling to the end loads the next page too.
      await page.reload();
      await settled(page, `Showing 50 of ${TOTAL} events`);
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await settled(page, `Showing ${TOTAL} of ${TOTAL} events`);

      await page.getByLabel('Tool').fill('billing');
      await page.getByLabel('Action').fill('update');
      await page.getByRole('button', { name: 'Apply' }).click();
      await settled(page, 'Showing 10 of 10 events');
      expect(new URL(page.url()).search).toBe('?tool=billing&action=update');
      const filtered = await messages(page);
      expect(filtered).toEqual(
        [58, 52, 46, 40, 34, 28, 22, 16, 10, 4].map((i) => `Entry ${i} in billing`),
      );

      await page.reload();
      await settled(page, 'Showing 10 of 10 events');
      expect(await page.getByLabel('Tool').inputValue()).toBe('billing');
      expect(await messages(page)).toEqual(filtered);

      // The export links download the current filter, parsed back here.
      for (const format of ['CSV', 'NDJSON']) {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: format }).click(),
        ]);
        expect(download.suggestedFilename()).toMatch(
          new RegExp(`^eventlog-\\d{4}-\\d\\d-\\d\\d\\.${format.toLowerCase()}$`),
        );
        const text = await readFile((await download.path()) as string, 'utf8');
        const rows: { message: string; tool: string }[] =
          format === 'CSV'
            ? parse(text, { columns: true })
            : text
                .trimEnd()
                .split('\n')
                .map((line) => JSON.parse(line));
        expect(rows.map((r) => r.message)).toEqual(filtered);
      }

      await page.goBack();
      await settled(page, `Showing 50 of ${TOTAL} events`);
      expect(await page.getByLabel('Tool').inputValue()).toBe('');

      const from = new Date(START + 10 * 60_000).toISOString();
      const to = new Date(START + 20 * 60_000).toISOString();
      await page.goto(`${viewer.url}?actor=bob&from=${from}&to=${to}&search=entry`);
      await settled(page, 'Showing 5 of 5 events');
      expect(await messages(page)).toEqual(
        [19, 17, 15, 13, 11].map((i) => `Entry ${i} in ${['inventory', 'billing', 'auth'][i % 3]}`),
      );
      // The From field shows the URL's instant in the browser's time zone.
      expect(new Date(await page.getByLabel('From').inputValue()).toISOString()).toBe(from);

      await page.getByRole('button', { name: 'Clear' }).click();
      await settled(page, `Showing 50 of ${TOTAL} events`);
      expect(new URL(page.url()).search).toBe('');

      // History filters: a changed field (nested keys count by their top-level key) and a batch.
      await page.getByLabel('Changed field').fill('address, tags');
      await page.getByRole('button', { name: 'Apply' }).click();
      await settled(page, 'Showing 1 of 1 events');
      expect(new URL(page.url()).search).toBe('?changed=address&changed=tags');
      expect(await messages(page)).toEqual(['Profile of Alice changed']);
      await page.goto(`${viewer.url}?batch=${PROFILE_BATCH}`);
      await settled(page, 'Showing 1 of 1 events');
      expect(await page.getByLabel('Batch').inputValue()).toBe(PROFILE_BATCH);
      expect(await messages(page)).toEqual(['Profile of Alice changed']);
      await page.getByLabel('Batch').fill('no-such-batch');
      await page.getByRole('button', { name: 'Apply' }).click();
      await settled(page, 'No events match these filters.');
      expect(complaints.list).toEqual([]);
      await close();
    }, 120_000);

    it(
      "opens one object's timeline from an entry and comes back",
      async () => {
        const { page, complaints, close } = await viewer.open('staff');
        await page.goto(viewer.url);
        await settled(page, /^Showing 50/);
        const entry = entries(page).filter({ hasText: 'Entry 53 in' });
        await entry.getByRole('link', { name: 'Item #3' }).click();
        await settled(page, 'Showing 6 of 6 events');
        expect(new URL(page.url()).searchParams.get('object_id')).toBe('3');
        await expect
          .poll(() => page.locator('#scope-title').textContent())
          .toBe('History of Item #3');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('scope-title');
        expect(await page.title()).toBe('Item #3 · Acme <audit> log');
        expect(await entries(page).locator('.object').allTextContents()).toEqual(
          Array(6).fill('Item #3'),
        );

        await page.getByRole('link', { name: 'All events' }).click();
        await settled(page, `Showing 50 of ${TOTAL} events`);
        expect(await page.locator('#scope').isHidden()).toBe(true);
        expect(complaints.list).toEqual([]);
        await close();
      },
      SLOW,
    );

    it(
      'shows a message holding markup as text, under its CSP, without a single complaint',
      async () => {
        const { page, complaints, close } = await viewer.open('staff');
        const res = await page.goto(viewer.url);
        expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
        await settled(page, /^Showing 50/);
        expect(await entries(page).first().locator('.message').textContent()).toBe(HOSTILE);
        expect(await page.locator('#timeline img').count()).toBe(0);
        expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
        expect(await page.title()).toBe('Acme <audit> log');
        expect(complaints.list).toEqual([]);
        await close();
      },
      SLOW,
    );

    it(
      'expands a deep diff: nested paths, masked secrets, folded long values, raw JSON',
      async () => {
        const { page, complaints, close } = await viewer.open('staff');
        await page.goto(viewer.url);
        await settled(page, /^Showing 50/);
        const entry = entries(page).filter({ hasText: 'Profile of Alice changed' });
        await entry.getByText('Changes (4 fields)').click();
        const row = (key: string) => entry.locator(`tr[data-key="${key}"]`);
        expect(await row('address.city').getAttribute('class')).toBe('changed');
        expect(await row('address.city').locator('td').allTextContents()).toEqual([
          'Lyon',
          'Paris',
        ]);
        expect(await row('address.zip').count()).toBe(0);
        expect(await row('password').locator('td .masked').allTextContents()).toEqual([
          'masked',
          'masked',
        ]);
        const bio = row('bio').locator('td.new details.fold');
        expect(await bio.locator('summary').textContent()).toMatch(
          /^long long .*… \(400 characters\)$/,
        );
        expect(await bio.locator('pre').isVisible()).toBe(false);
        await bio.locator('summary').click();
        expect(await bio.locator('pre').textContent()).toBe('long '.repeat(80));
        expect(await row('tags').getAttribute('class')).toBe('added');
        expect(await row('tags').locator('td.old').textContent()).toBe('(absent)');
        expect(JSON.parse((await row('tags').locator('td.new').textContent()) ?? '')).toEqual([
          'a',
          'b',
        ]);

        await entry.getByText('Raw JSON').click();
        const raw = JSON.parse((await entry.locator('.raw pre').textContent()) ?? '');
        expect(raw.id).toBe(await entry.getAttribute('data-id'));
        expect(raw.changes.newValue.password).toBe('[REDACTED]');
        expect(complaints.list).toEqual([]);
        await close();
      },
      SLOW,
    );

    it(
      'works by keyboard alone, and fits a phone-width screen',
      async () => {
        const { page, complaints, close } = await viewer.open('staff');
        await page.setViewportSize({ width: 375, height: 740 });
        await page.goto(viewer.url);
        await settled(page, /^Showing 50/);
        await page.keyboard.press('Tab'); // the title link
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
          'tool',
        );
        await page.keyboard.type('accounts');
        await page.keyboard.press('Enter');
        await settled(page, 'Showing 1 of 1 events');
        const summary = entries(page).first().locator('.changes summary');
        await summary.focus();
        await page.keyboard.press('Enter');
        await entries(page).first().locator('table.diff').waitFor();
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow).toBeLessThanOrEqual(0);
        mkdirSync(artifacts, { recursive: true });
        await page.screenshot({ path: join(artifacts, `phone-${framework}.png`) });
        expect(complaints.list).toEqual([]);
        await close();
      },
      SLOW,
    );

    it(
      'refuses the page without authorize, and shows an auditor only their scope',
      async () => {
        const guest = await viewer.open(null);
        const res = await guest.page.goto(viewer.url);
        expect(res?.status()).toBe(403);
        expect(await guest.page.locator('body').textContent()).toBe(
          'You may not read this event log.',
        );
        await guest.close();

        const { page, close } = await viewer.open('auditor');
        await page.goto(viewer.url);
        await settled(page, 'Showing 20 of 20 events');
        expect(new Set(await entries(page).locator('.tool').allTextContents())).toEqual(
          new Set(['billing']),
        );
        await close();
      },
      SLOW,
    );
  },
);
