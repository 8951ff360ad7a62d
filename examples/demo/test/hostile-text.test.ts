import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemo } from './helpers';

// At the demo's edges: hostile text goes through the API unchanged (as JSON),
// NUL is a 400 with nothing written, and the viewer never turns data into HTML. The browser test
// (e2e.test.ts) checks the rendered page for `<script>`.

type Demo = Awaited<ReturnType<typeof startDemo>>;
const staff = { 'x-demo-user': 'alice' };
const HOSTILE =
  'a\r\nb \u001b[31mred\u001b[0m \u202Efdp.exe <script>window.x=1</script><img src=x onerror=alert(1)> z';

describe('demo: hostile text', () => {
  let demo: Demo;
  beforeEach(async () => {
    demo = await startDemo();
  });
  afterEach(async () => {
    await demo.close();
  });

  it('stores and serves CR/LF, ANSI, U+202E and markup exactly as given, as JSON', async () => {
    const created = await request(demo.app).post('/api/items').set(staff).send({ name: HOSTILE });
    expect(created.status).toBe(201);
    const page = await request(demo.app).get('/api/eventlogs?tool=example_feature').set(staff);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^application\/json/);
    const [entry] = page.body.results as { message: string; id: string }[];
    expect(entry?.message).toBe(`Item ${HOSTILE} was created.`);
    const raw = (await demo
      .db('eventlog')
      .where({ id: Number(entry?.id) })
      .first()) as {
      message: string;
    };
    expect(raw.message).toBe(entry?.message);
  });

  it('answers NUL in a logged field with a 400 and writes neither the item nor an entry', async () => {
    const before = await request(demo.app).get('/api/eventlogs').set(staff);
    const created = await request(demo.app)
      .post('/api/items')
      .set(staff)
      .send({ name: 'null\u0000byte' });
    expect(created.status).toBe(400);
    expect(created.body.error.code).toBe('VALIDATION_ERROR');
    const after = await request(demo.app).get('/api/eventlogs').set(staff);
    expect(after.body.results).toEqual(before.body.results);
    expect(await demo.db('items').where({ name: 'null\u0000byte' })).toEqual([]);
  });

  it('the viewer it mounts inserts data only as text, under a CSP without inline code', async () => {
    const page = await request(demo.app).get('/audit/').set(staff);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
    const src = /<script type="module" src="([^"]+)"/.exec(page.text)?.[1];
    const script = await request(demo.app).get(`/audit/${src}`);
    expect(script.status).toBe(200);
    const source = script.text;
    expect(source.length).toBeGreaterThan(1000);
    for (const sink of [
      'innerHTML',
      'outerHTML',
      'insertAdjacentHTML',
      'document.write',
      'eval(',
      'new Function',
      'createContextualFragment',
    ]) {
      expect(source, sink).not.toContain(sink);
    }
  });
});
