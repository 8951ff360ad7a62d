import { createEventLogTable, knexStorage } from '@eventlog/adapter-knex';
import { EventLogService } from '@eventlog/core';
import { describeBrowser, useBrowser } from '@eventlog/test-servers/chromium';
import knexFactory from 'knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPage } from './browser';
import { frameworks, MOUNT, type Mounted } from './servers';

const ENTRIES = 500;

// Reports timings (no assertion on them: the machine is shared); asserts only what was rendered.
describeBrowser('viewer timings in headless Chromium', () => {
  const chromium = useBrowser();
  let app: Mounted;
  let knex: ReturnType<typeof knexFactory>;
  beforeAll(async () => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    await createEventLogTable(knex);
    const service = new EventLogService(knexStorage(knex));
    const start = Date.parse('2024-01-01T00:00:00Z');
    await service.logMany(
      Array.from({ length: ENTRIES }, (_, i) => ({
        template: `Order ${i} changed`,
        tool: 'orders',
        action: 'update',
        object: { type: 'Order', id: String(i) },
        actor: { id: 'u1', label: 'User One' },
        changes: {
          oldValue: {
            status: 'open',
            total: i,
            lines: [{ sku: 'a', qty: 1 }],
            note: 'x'.repeat(300),
          },
          newValue: {
            status: 'paid',
            total: i + 1,
            lines: [{ sku: 'a', qty: 2 }],
            note: 'y'.repeat(300),
          },
        },
        timestamp: new Date(start + i * 1000),
      })),
    );
    app = await frameworks.express.mount(service);
  });
  afterAll(async () => {
    await app?.close();
    await knex?.destroy();
  });

  it('renders the first 50 entries, then 500 with diffs, and opens a diff at the end', async () => {
    const { page, complaints, close } = await openPage(chromium.browser, app.base, 'staff');
    const firstRender: number[] = [];
    const renderOnly: number[] = [];
    // Where the first render's time goes: the page, its script, the API call.
    const phases: { html: number[]; script: number[]; apiStart: number[]; api: number[] } = {
      html: [],
      script: [],
      apiStart: [],
      api: [],
    };
    for (let run = 0; run < 7; run++) {
      await page.goto(`${app.base}${MOUNT}/`);
      await page.waitForFunction(
        () => performance.getEntriesByName('eventlog-rendered').length > 0,
      );
      const t = await page.evaluate(() => {
        const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const script = resources.find((r) => r.name.includes('/assets/app-'))!;
        const calls = resources.filter((r) => r.name.includes('/api/?'));
        const api = calls[0]!;
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return {
          mark: performance.getEntriesByName('eventlog-rendered')[0]!.startTime,
          render: performance.getEntriesByName('eventlog-render')[0]!.duration,
          html: nav.responseEnd,
          script: script.responseEnd,
          apiStart: api.startTime,
          api: api.responseEnd - api.startTime,
          calls: calls.length,
        };
      });
      // The page's preloaded first page is the one call made: no second request for it.
      expect(t.calls).toBe(1);
      firstRender.push(t.mark);
      renderOnly.push(t.render);
      phases.html.push(t.html);
      phases.script.push(t.script);
      phases.apiStart.push(t.apiStart);
      phases.api.push(t.api);
    }
    expect(await page.locator('#timeline > li').count()).toBe(50);

    const loadedAt = await page.evaluate(() => performance.now());
    while ((await page.locator('#timeline > li').count()) < ENTRIES) {
      const n = await page.locator('#timeline > li').count();
      await page.locator('#more').dispatchEvent('click');
      await page.waitForFunction((n) => document.querySelectorAll('#timeline > li').length > n, n);
    }
    const all = await page.evaluate(() => performance.now());
    const renders = await page.evaluate(() =>
      performance.getEntriesByName('eventlog-render').map((e) => e.duration),
    );
    const openDiff = await page.evaluate(async () => {
      const summary = document.querySelector<HTMLElement>(
        '#timeline > li:last-child .changes summary',
      )!;
      const t0 = performance.now();
      summary.click();
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
      return performance.now() - t0;
    });
    expect(await page.locator('#timeline > li:last-child tr').count()).toBe(5);
    // Baseline in the same page and run: 50 × 15 bare elements with text, appended at once.
    const baseline = await page.evaluate(() => {
      const t0 = performance.now();
      const fragment = document.createDocumentFragment();
      for (let i = 0; i < 50; i++) {
        const li = document.createElement('li');
        for (let j = 0; j < 15; j++) {
          const span = document.createElement('span');
          span.textContent = `cell ${i} ${j}`;
          li.append(span);
        }
        fragment.append(li);
      }
      document.body.append(fragment);
      document.body.lastElementChild?.getBoundingClientRect();
      return performance.now() - t0;
    });
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(
      [
        `viewer timings (headless Chromium, ${ENTRIES} entries with diffs):`,
        `  first render of 50 entries, navigation start → entries in the DOM: median ${median(firstRender).toFixed(0)} ms (runs: ${firstRender.map((x) => x.toFixed(0)).join(', ')})`,
        `  of which (medians, from navigation start): page received ${median(phases.html).toFixed(0)} ms, script received ${median(phases.script).toFixed(0)} ms, API call sent ${median(phases.apiStart).toFixed(0)} ms and answered in ${median(phases.api).toFixed(0)} ms`,
        `  building those 50 entries: median ${median(renderOnly).toFixed(1)} ms (baseline, 750 bare elements: ${baseline.toFixed(1)} ms)`,
        `  loading pages 2..10 (450 more entries, API included): ${(all - loadedAt).toFixed(0)} ms; building each page: max ${Math.max(...renders).toFixed(1)} ms`,
        `  opening the diff of entry 500 (click → next frame): ${openDiff.toFixed(1)} ms`,
      ].join('\n'),
    );
    expect(complaints.list).toEqual([]);
    await close();
  }, 120_000);
});
