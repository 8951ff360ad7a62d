import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';

describe('README example (nest)', () => {
  it('is test/readme-example.ts verbatim, and it serves the routes it shows', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const example = await readFile(new URL('./readme-example.ts', import.meta.url), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);

    process.env.PORT = '0';
    const { app } = await import('./readme-example');
    try {
      const { port } = app.getHttpServer().address() as AddressInfo;
      const get = (path: string, user: string) =>
        fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'x-user': user } });
      const archived = await fetch(`http://127.0.0.1:${port}/items/7/archive`, {
        method: 'POST',
        headers: { 'x-user': 'bob' },
      });
      expect(archived.status).toBe(201); // Nest answers a POST with 201
      expect((await get('/eventlogs/', 'bob')).status).toBe(403);
      const list = await get('/eventlogs/', 'ada');
      expect(list.status).toBe(200);
      const { results } = await list.json();
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ objectType: 'Item', objectId: '7', actorLabel: 'Bob' });
      const one = await get(`/eventlogs/${results[0].id}`, 'ada');
      expect((await one.json()).id).toBe(results[0].id);
      const log = await get('/items/7/log', 'bob');
      expect((await log.json()).results).toHaveLength(1);
      expect((await get('/items/7/log', 'nobody')).status).toBe(403);
    } finally {
      await app.close();
    }
  });
});
