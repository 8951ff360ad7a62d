import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

/** How `runReadmeExample` starts a framework package's README example. */
export interface ReadmeExampleOptions {
  /** The framework, for the suite's title. */
  name: string;
  /** The package folder: its `README.md` holds `test/readme-example.ts` verbatim. */
  packageUrl: URL;
  /**
   * Imports `test/readme-example.ts`, which listens on `process.env.PORT` (set to `0` first),
   * and returns the port it got and how to close it.
   */
  start(): Promise<{ port: number; close(): Promise<void> }>;
  /** Where the example serves the list, with a trailing slash: `/api/eventlogs/`. */
  listPath: string;
  /** The status the example's `POST /items/7/archive` answers (Nest answers a POST with 201). */
  archiveStatus?: number;
  /** Where the example mounts the viewer, with a trailing slash, when it does: `/admin/audit/`. */
  viewerPath?: string;
}

type Entry = { id: string; metadata: { ip?: string } | null };
type Page = { results: Entry[] };

/**
 * The README example of a framework package: the README shows `test/readme-example.ts`
 * verbatim, and that example serves what it claims. Users in the `x-user` header: `ada` is
 * staff, `bob` is not; an item archived by `bob` is logged with his actor and ip, listed to
 * `ada` only, and in the item's own log for any signed-in user.
 */
export function runReadmeExample(options: ReadmeExampleOptions): void {
  describe(`README example (${options.name})`, () => {
    it('is test/readme-example.ts verbatim, and it serves the routes it shows', async () => {
      const readme = await readFile(new URL('README.md', options.packageUrl), 'utf8');
      const example = await readFile(new URL('test/readme-example.ts', options.packageUrl), 'utf8');
      expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);

      process.env.PORT = '0';
      const { port, close } = await options.start();
      try {
        const get = (path: string, user: string) =>
          fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'x-user': user } });
        const archived = await fetch(`http://127.0.0.1:${port}/items/7/archive`, {
          method: 'POST',
          headers: { 'x-user': 'bob' },
        });
        expect(archived.status).toBe(options.archiveStatus ?? 200);
        const { listPath, viewerPath } = options;
        expect((await get(listPath, 'bob')).status).toBe(403);
        const list = await get(listPath, 'ada');
        expect(list.status).toBe(200);
        const { results } = (await list.json()) as Page;
        const first = results[0] as Entry;
        expect(results).toHaveLength(1);
        expect(first).toMatchObject({ objectType: 'Item', objectId: '7', actorLabel: 'Bob' });
        expect(first.metadata?.ip).toMatch(/127\.0\.0\.1$/);
        const one = await get(`${listPath}${first.id}`, 'ada');
        expect(((await one.json()) as Entry).id).toBe(first.id);
        const log = await get('/items/7/log', 'bob');
        expect(((await log.json()) as Page).results).toHaveLength(1);
        expect((await get('/items/7/log', 'nobody')).status).toBe(403);
        if (viewerPath === undefined) return;
        const viewer = await get(viewerPath, 'ada');
        expect(viewer.status).toBe(200);
        expect(viewer.headers.get('content-security-policy')).toContain("script-src 'self'");
        expect((await get(`${viewerPath}api/`, 'ada')).status).toBe(200);
        expect((await get(viewerPath, 'bob')).status).toBe(403);
        expect((await get(`${viewerPath}api/`, 'bob')).status).toBe(403);
      } finally {
        await close();
      }
    });
  });
}
