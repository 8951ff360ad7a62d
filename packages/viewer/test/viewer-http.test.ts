import { ConfigurationError, EventLogService, memoryStorage } from '@eventlog/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createViewerRoutes } from '../src/index';
import { seededService } from './fixture';
import { allFrameworks, frameworks, MOUNT, type Mounted } from './servers';

const staff = { cookie: 'role=staff' };

describe.each(allFrameworks)('viewer mount over HTTP (%s)', (framework) => {
  let fixture: Awaited<ReturnType<typeof seededService>>;
  let app: Mounted;
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${app.base}${MOUNT}${path}`, { headers, redirect: 'manual' });

  beforeAll(async () => {
    fixture = await seededService();
    app = await frameworks[framework].mount(fixture.service);
  });
  afterAll(async () => {
    await app?.close();
    await fixture?.close();
  });

  it('refuses the page and its data together when authorize says no', async () => {
    for (const path of ['/', '/api/', '/api/1', '/api/openapi.json']) {
      const res = await get(path);
      expect(res.status, path).toBe(403);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    const refused = await get('/', { cookie: 'role=guest' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('<script');
  });

  it('serves the page under a strict CSP, never cached, its title as text', async () => {
    const res = await get('/', staff);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const html = await res.text();
    expect(html).toContain('<title>Acme &lt;audit&gt; log</title>');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/); // no inline script
    expect(html).not.toMatch(/\bstyle=|<style/); // no inline style
    expect(html).not.toMatch(/https?:\/\//); // nothing from elsewhere
  });

  it('serves the hashed assets with a long-lived cache, and 404 for any other file', async () => {
    const html = await (await get('/', staff)).text();
    const assets = [...html.matchAll(/(?:href|src)="(assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets).toHaveLength(2);
    for (const asset of assets) {
      expect(asset).toMatch(/^assets\/(app|style)-[0-9a-f]{12}\.(js|css)$/);
      const res = await get(`/${asset}`);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-type')).toMatch(/^text\/(javascript|css); charset=utf-8$/);
      const source = await res.text();
      for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write']) {
        expect(source, sink).not.toContain(sink);
      }
      expect(source).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    }
    expect((await get('/assets/app-000000000000.js', staff)).status).toBe(404);
  });

  it('redirects the mount path without its slash, keeping the query', async () => {
    const res = await fetch(`${app.base}${MOUNT}?tool=billing`, { redirect: 'manual' });
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe(`${MOUNT}/?tool=billing`);
  });

  it('serves the list API beside the page, with links under the mount and the scope applied', async () => {
    const res = await get('/api/?limit=2&tool=billing', staff);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { tool: string }[]; next: string };
    expect(body.results.map((e) => e.tool)).toEqual(['billing', 'billing']);
    expect(body.next.startsWith(`${MOUNT}/api/?`)).toBe(true);
    const scoped = await get('/api/?limit=100', { cookie: 'role=auditor' });
    const all = (await scoped.json()) as { results: { tool: string }[] };
    expect(all.results.length).toBe(20);
    expect(new Set(all.results.map((e) => e.tool))).toEqual(new Set(['billing']));
    expect((await get('/api/?tool[$ne]=x', staff)).status).toBe(400);
  });

  it('offers no integrity status unless the mount is given an integrity authorize', async () => {
    const html = await (await get('/', staff)).text();
    expect(html).toContain('<meta name="eventlog-integrity" content="off">');
    // No such route: `integrity` is read as an entry id, and no entry has it.
    expect((await get('/api/integrity', staff)).status).toBe(404);
  });

  it('refuses to build without authorize', () => {
    const { build } = frameworks[framework];
    expect(() => build(fixture.service, {} as never)).toThrow(ConfigurationError);
  });
});

describe('viewer page route (framework-neutral)', () => {
  it('redirects to a path on the same site, whatever slashes the request path starts with', async () => {
    const { files } = createViewerRoutes(new EventLogService(memoryStorage()), {
      authorize: 'public',
    });
    const page = files.find((f) => f.name === 'page')!;
    const cases = [
      ['//evil.example', '/evil.example/?a=1'],
      ['/\\evil.example', '/evil.example/?a=1'],
      ['/audit', '/audit/?a=1'],
    ];
    for (const [path, location] of cases) {
      const out = await page.handle({ path: path!, query: 'a=1', native: {} });
      expect(out.status).toBe(308);
      expect(out.headers.location).toBe(location);
    }
  });
});
