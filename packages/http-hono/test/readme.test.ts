import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';

type Entry = { id: string; metadata: { ip?: string } | null };
type Page = { results: Entry[] };

describe('README example (hono)', () => {
  it('is test/readme-example.ts verbatim, and it serves the routes it shows', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const example = await readFile(new URL('./readme-example.ts', import.meta.url), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);

    process.env.PORT = '0';
    const { server } = (await import('./readme-example')) as unknown as { server: Server };
    try {
      if (!server.listening) await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      const get = (path: string, user: string) =>
        fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'x-user': user } });
      const archived = await fetch(`http://127.0.0.1:${port}/items/7/archive`, {
        method: 'POST',
        headers: { 'x-user': 'bob' },
      });
      expect(archived.status).toBe(200);
      expect((await get('/api/eventlogs/', 'bob')).status).toBe(403);
      const list = await get('/api/eventlogs', 'ada');
      expect(list.status).toBe(200);
      const { results } = (await list.json()) as Page;
      const first = results[0] as Entry;
      expect(results).toHaveLength(1);
      expect(first).toMatchObject({ objectType: 'Item', objectId: '7', actorLabel: 'Bob' });
      expect(first.metadata?.ip).toMatch(/127\.0\.0\.1$/);
      const one = await get(`/api/eventlogs/${first.id}`, 'ada');
      expect(((await one.json()) as Entry).id).toBe(first.id);
      const log = await get('/items/7/log', 'bob');
      expect(((await log.json()) as Page).results).toHaveLength(1);
      expect((await get('/items/7/log', 'nobody')).status).toBe(403);
      const viewer = await get('/admin/audit/', 'ada');
      expect(viewer.status).toBe(200);
      expect(viewer.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect((await get('/admin/audit/api/', 'ada')).status).toBe(200);
      expect((await get('/admin/audit/', 'bob')).status).toBe(403);
      expect((await get('/admin/audit/api/', 'bob')).status).toBe(403);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
