import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeBrowser, useBrowser } from '@eventlog/test-servers/chromium';
import type { BrowserContext } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDemo } from './helpers';

const artifacts = fileURLToPath(new URL('../test-artifacts', import.meta.url));

// Without Chromium the test skips saying so here, and fails under CI, where .ci/run installs it.
describeBrowser('demo viewer in headless Chromium', () => {
  const chromium = useBrowser();
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let server: Server;
  let context: BrowserContext;
  let base: string;

  beforeAll(async () => {
    demo = await startDemo();
    server = demo.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    context = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => server?.close(resolve));
    await demo?.close();
  });

  it('signs in, filters by tool and shows the entry, its diff, and a <script> message as text', async () => {
    const staff = { 'x-demo-user': 'alice' };
    const { body: item } = await request(base)
      .post('/api/items')
      .set(staff)
      .send({ name: '<script>window.__pwned = 1</script>', quantity: 2 });
    await request(base).patch(`/api/items/${item.id}`).set(staff).send({ status: 'archived' });
    await request(base).post('/api/teams').set(staff).send({ name: 'Field', leadId: 'bob' });

    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: /^Alice Martin/ }).click();
    await page.waitForURL(`${base}/audit/`);
    await expect.poll(() => page.locator('#status').textContent()).toBe('Showing 3 of 3 events');

    await page.getByLabel('Tool').fill('example_feature');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('Showing 2 of 2 events');
    expect(new URL(page.url()).search).toBe('?tool=example_feature');

    const update = page.locator('.entry', { has: page.locator('.badge[data-action=update]') });
    await expect
      .poll(() => update.locator('.message').textContent())
      .toBe('Item <script>window.__pwned = 1</script> was updated.');
    await update.getByText(/^Changes/).click();
    const row = update.locator('.diff tr.changed[data-key=status]');
    expect(await row.locator('td.old').textContent()).toBe('active');
    expect(await row.locator('td.new').textContent()).toBe('archived');
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

    // The per-object history is one click away.
    await update.locator('a.object').click();
    await expect
      .poll(() => page.locator('#scope-title').textContent())
      .toBe(`History of Item #${item.id}`);

    await page.getByRole('link', { name: 'All events' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('Showing 3 of 3 events');
    await update.getByText(/^Changes/).click();
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'viewer.png'), fullPage: false });

    // Bob is not staff: the viewer's scope shows him the items' history only.
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: /^Bob Nguyen/ }).click();
    await page.waitForURL(`${base}/audit/`);
    await expect.poll(() => page.locator('#status').textContent()).toBe('Showing 2 of 2 events');
    expect(await page.locator('.entry .object').allTextContents()).toEqual(
      Array(2).fill(`Item #${item.id}`),
    );
  }, 60_000);
});
