import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeSuite } from '@eventlog/conformance';
import { type BrowserContext, chromium } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDemo } from './helpers';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
const artifacts = fileURLToPath(new URL('../test-artifacts', import.meta.url));

// Without Chromium the test skips saying so here, and fails under CI, where .ci/run installs it.
describeSuite(
  'demo viewer in headless Chromium',
  {
    name: 'demo viewer',
    unavailable: haveBrowser
      ? undefined
      : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`,
  },
  () => {
    let demo: Awaited<ReturnType<typeof startDemo>>;
    let server: Server;
    let context: BrowserContext;
    let base: string;
    let profile: string;

    beforeAll(async () => {
      demo = await startDemo();
      server = demo.app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      profile = mkdtempSync(join(tmpdir(), 'eventlog-chromium-'));
      // A fresh, empty profile per run (playwright takes it as userDataDir, not as an argument).
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        viewport: { width: 1280, height: 900 },
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    });

    afterAll(async () => {
      await context?.close();
      await new Promise((resolve) => server?.close(resolve));
      await demo?.close();
      rmSync(profile, { recursive: true, force: true });
    });

    it('filters by tool and shows the entry, its diff, and a <script> message as text', async () => {
      const staff = { 'x-demo-user': 'alice' };
      const { body: item } = await request(base)
        .post('/api/items')
        .set(staff)
        .send({ name: '<script>window.__pwned = 1</script>', quantity: 2 });
      await request(base).patch(`/api/items/${item.id}`).set(staff).send({ status: 'archived' });
      await request(base).post('/api/teams').set(staff).send({ name: 'Field', leadId: 'bob' });

      await context.addCookies([{ name: 'demo_user', value: 'alice', url: base }]);
      const page = await context.newPage();
      await page.goto(`${base}/`);
      await page.locator('.entry').first().waitFor();
      expect(await page.locator('.entry').count()).toBe(3);

      await page.selectOption('select[name=tool]', 'example_feature');
      await page.click('button[type=submit]');
      await page.waitForFunction(() => document.querySelectorAll('.entry').length === 2);

      const update = page.locator('.entry', { has: page.locator('.badge.update') });
      await expect
        .poll(() => update.locator('.message').textContent())
        .toBe('Item <script>window.__pwned = 1</script> was updated by Alice Martin.');
      const row = update.locator('.diff tr.changed[data-key=status]');
      expect(await row.locator('td.old').textContent()).toBe('active');
      expect(await row.locator('td.new').textContent()).toBe('archived');
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

      // The per-object history is one click away.
      await update.locator('.object').click();
      await page.locator('#scope:not([hidden])').waitFor();
      expect(await page.locator('#scope').textContent()).toContain(`Item #${item.id}`);

      await page.click('#scope button');
      await page.locator('.entry').first().waitFor();
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'viewer.png'), fullPage: false });
    });
  },
);
