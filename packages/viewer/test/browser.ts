import { describeBrowser, useBrowser } from '@eventlog/test-servers/chromium';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { seededService } from './fixture';
import { type Framework, frameworks, MOUNT, type Mounted } from './servers';

/** Everything the page complained about: console errors, uncaught errors, CSP violations. */
export interface Complaints {
  list: string[];
}

/** A page of its own browser context; `close()` closes the context. */
export interface OpenedPage {
  page: Page;
  complaints: Complaints;
  close(): Promise<void>;
}

/**
 * A new page signed in with `role`, recording console errors, page errors and CSP violations
 * (the `securitypolicyviolation` listener is installed before any page script runs).
 */
export async function openPage(
  browser: Browser,
  base: string,
  role: string | null,
): Promise<OpenedPage> {
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

/** The viewer one framework mounts over a seeded service; set before the suite's tests run. */
export interface ViewerUnderTest {
  fixture: Awaited<ReturnType<typeof seededService>>;
  app: Mounted;
  /** The viewer's page: `MOUNT` on the app's origin. */
  url: string;
  /** A new page on the app, signed in with `role` (see `openPage`). */
  open(role: string | null): Promise<OpenedPage>;
}

/**
 * Registers the browser suite `title` with one nested suite per framework, all driving one
 * Chromium: each mounts the viewer over a fresh `seededService` (with `integrity`, chained and
 * offering the integrity panel; `prepare` runs before the mount) and closes both after its tests.
 */
export function describeViewer(
  title: string,
  mounts: readonly Framework[],
  options: {
    integrity?: boolean;
    prepare?: (fixture: ViewerUnderTest['fixture']) => Promise<unknown>;
  },
  body: (viewer: ViewerUnderTest, framework: Framework) => void,
): void {
  describeBrowser(title, () => {
    const chromium = useBrowser();
    for (const framework of mounts) {
      describe(`mounted by ${framework}`, () => {
        const viewer = {
          open: (role) => openPage(chromium.browser, viewer.app.base, role),
        } as ViewerUnderTest;
        beforeAll(async () => {
          viewer.fixture = await seededService({ integrity: options.integrity === true });
          await options.prepare?.(viewer.fixture);
          viewer.app = await frameworks[framework].mount(viewer.fixture.service, options.integrity);
          viewer.url = `${viewer.app.base}${MOUNT}/`;
        });
        afterAll(async () => {
          await viewer.app?.close();
          await viewer.fixture?.close();
        });
        body(viewer, framework);
      });
    }
  });
}
