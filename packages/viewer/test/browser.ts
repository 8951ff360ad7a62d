import { existsSync } from 'node:fs';
import { isCI } from '@eventlog/conformance/ci';
import { type Browser, chromium, type Page } from 'playwright-core';
import { describe, it } from 'vitest';

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

/** Headless system Chromium, with nothing fetched in the background. */
export function launch(): Promise<Browser> {
  return chromium.launch({
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
}

/** Everything the page complained about: console errors, uncaught errors, CSP violations. */
export interface Complaints {
  list: string[];
}

/**
 * A new page signed in with `role`, recording console errors, page errors and CSP violations
 * (the `securitypolicyviolation` listener is installed before any page script runs).
 */
export async function openPage(
  browser: Browser,
  base: string,
  role: string | null,
): Promise<{ page: Page; complaints: Complaints; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (role) await context.addCookies([{ name: 'role', value: role, url: base }]);
  const complaints: Complaints = { list: [] };
  await context.exposeBinding('__cspViolation', (_source, text: string) => {
    complaints.list.push(`CSP: ${text}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation(t: string): void }).__cspViolation(
        `${e.violatedDirective} ${e.blockedURI}`,
      );
    });
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') complaints.list.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => complaints.list.push(`pageerror: ${e.message}`));
  return { page, complaints, close: () => context.close() };
}
