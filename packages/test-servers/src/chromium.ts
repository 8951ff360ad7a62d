/**
 * The system Chromium the browser tests drive (the viewer's and the demo's): where it is, how it is
 * launched, and the suite that skips without it.
 */

import { existsSync } from 'node:fs';
import { isCI } from '@eventlog/conformance/ci';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Registers a browser suite: skipped with a loud reason when there is no Chromium on a developer's
 * machine, failing under CI, where the browser must be installed.
 */
export function describeBrowser(title: string, body: () => void): void {
  if (existsSync(CHROMIUM)) describe(title, body);
  else if (isCI()) {
    describe(title, () => {
      it('has Chromium available (required under CI)', () => {
        throw new Error(`no Chromium at ${CHROMIUM}: install the chromium package`);
      });
    });
  } else describe.skip(`${title} — SKIPPED: no Chromium at ${CHROMIUM}`, body);
}

/**
 * Launches headless system Chromium, with nothing fetched in the background, before the enclosing
 * suite's tests, and closes it after them. Read `browser` inside the tests and later hooks.
 */
export function useBrowser(): { readonly browser: Browser } {
  const launched = {} as { browser: Browser };
  beforeAll(async () => {
    launched.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
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
    await launched.browser?.close();
  });
  return launched;
}
