import type { EventLog } from '@eventlog/core';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USERS } from '../src/users';
import { startDemo } from './helpers';

type Demo = Awaited<ReturnType<typeof startDemo>>;
const as = (user: string) => ({ 'x-demo-user': user });

describe('demo API', () => {
  let demo: Demo;
  beforeEach(async () => {
    demo = await startDemo();
  });
  afterEach(async () => {
    await demo.close();
  });

  it('logs create, update and delete of an item with actor, diff and tool', async () => {
    const { app } = demo;
    const created = await request(app)
      .post('/api/items')
      .set(as('bob'))
      .send({ name: 'Certificate A', quantity: 1 });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const updated = await request(app)
      .patch(`/api/items/${id}`)
      .set(as('bob'))
      .set('user-agent', 'demo-test-agent/1.0')
      .set('x-request-id', 'req-demo-update')
      .send({ status: 'inactive' });
    expect(updated.status).toBe(200);
    await request(app).post('/api/teams').set(as('carol')).send({ name: 'Ops', leadId: 'carol' });
    expect((await request(app).delete(`/api/items/${id}`).set(as('bob'))).status).toBe(204);

    const page = await request(app).get('/api/eventlogs?tool=example_feature').set(as('alice'));
    expect(page.status).toBe(200);
    const results = page.body.results as (EventLog & { timestamp: string })[];
    expect(results.map((e) => e.action)).toEqual(['delete', 'update', 'create']);
    expect(results.every((e) => e.tool === 'example_feature')).toBe(true);
    expect(results.every((e) => e.actorId === 'bob' && e.actorLabel === 'Bob Nguyen')).toBe(true);
    expect(results.every((e) => e.objectType === 'Item' && e.objectId === String(id))).toBe(true);
    const [deleted, update, create] = results;
    expect(create?.message).toBe('Item Certificate A was created.');
    expect(update?.message).toBe('Item Certificate A was updated.');
    expect(deleted?.message).toBe('Item Certificate A was deleted.');
    // updatedAt is excluded from the diff: only the status changed.
    expect(update?.changes).toEqual({
      oldValue: { status: 'active' },
      newValue: { status: 'inactive' },
    });
    expect(update?.template).toBe('Item {record__name} was updated.');
    // The request context supplied ip, user agent and request id.
    expect(update?.metadata).toMatchObject({
      ip: expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$|^::1$/),
      userAgent: 'demo-test-agent/1.0',
      requestId: 'req-demo-update',
    });

    const teams = await request(app).get('/api/eventlogs?tool=team_management').set(as('alice'));
    expect(teams.body.results).toHaveLength(1);
    expect(teams.body.results[0].actorLabel).toBe('Carol Okafor');
  });

  it('keeps the whole log staff-only and the per-object log open to signed-in users', async () => {
    const { app } = demo;
    const { body: item } = await request(app).post('/api/items').set(as('bob')).send({ name: 'X' });
    await request(app).post('/api/items').set(as('bob')).send({ name: 'Y' });
    expect((await request(app).get('/api/eventlogs').set(as('bob'))).status).toBe(403);
    expect((await request(app).get('/api/eventlogs')).status).toBe(403);
    const log = await request(app).get(`/api/items/${item.id}/log`).set(as('carol'));
    expect(log.status).toBe(200);
    expect(log.body.results).toHaveLength(1);
    expect(log.body.results[0].objectId).toBe(String(item.id));
    expect((await request(app).get(`/api/items/${item.id}/log`)).status).toBe(403);
  });

  it('rolls back the update and its entry together when the transaction fails after log()', async () => {
    const bob = USERS.find((u) => u.id === 'bob')!;
    const item = await demo.items.create({ name: 'Permit', quantity: 3 }, bob);
    await expect(
      demo.items.update(item.id, { quantity: 4 }, bob, {
        afterLog: () => {
          throw new Error('forced failure after log()');
        },
      }),
    ).rejects.toThrow('forced failure after log()');
    expect((await demo.items.get(item.id))?.quantity).toBe(3);
    const entries = await demo.eventlog.listForObject({ type: 'Item', id: item.id });
    expect(entries.results.map((e) => e.action)).toEqual(['create']);
  });

  it('answers bad input with 400 naming the parameter', async () => {
    const res = await request(demo.app).get('/api/eventlogs?limit=-1').set(as('alice'));
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].param).toBe('limit');
    const bad = await request(demo.app).post('/api/items').set(as('bob')).send({ name: '' });
    expect(bad.status).toBe(400);
  });

  it('seeds a few hundred sample events over several tools, actions and actors', async () => {
    const written = await demo.seedIfEmpty();
    expect(written).toBeGreaterThanOrEqual(200);
    expect(await demo.seedIfEmpty()).toBe(0);
    const all = await demo.eventlog.list({ limit: 1000, withCount: true });
    expect(all.count).toBe(written);
    const tools = new Set(all.results.map((e) => e.tool));
    const actors = new Set(all.results.map((e) => e.actorId));
    expect([...tools].sort()).toEqual(['auth', 'example_feature', 'team_management']);
    expect(actors.size).toBe(USERS.length);
    const times = all.results.map((e) => e.timestamp.getTime());
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(21 * 24 * 3600 * 1000);
  });
});
