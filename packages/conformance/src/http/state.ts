import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, type RunningApp, startApp } from './fixture';
import type { ContractNative, HttpContractOptions } from './types';

const TENANT = 'x-test-tenant';

/** `GET /items/:id/log/state?at=<ISO>`: one object's state, behind the object log's access. */
export function stateContract(options: HttpContractOptions, base: string): void {
  describe('object state route', () => {
    let app: RunningApp;
    const item = `state-${Math.random().toString(36).slice(2, 10)}`;
    const t = (s: number) => new Date(Date.UTC(2023, 0, 1) + s * 1000);
    beforeAll(async () => {
      app = await startApp(options, base, {
        objectLog: {
          authorize: (req: ContractNative) =>
            req.headers[ROLE] === 'staff' && req.params.itemId !== '6',
          scope: (req: ContractNative) =>
            req.headers[TENANT] ? { tool: String(req.headers[TENANT]) } : null,
        },
      });
      const object = { type: 'Item', id: item };
      const common = { template: 'changed', tool: 'items', object };
      await app.service.log({
        ...common,
        action: 'create',
        timestamp: t(10),
        metadata: { snapshot: true },
        changes: { oldValue: {}, newValue: { name: 'A', status: 'new' } },
      });
      await app.service.log({
        ...common,
        action: 'update',
        timestamp: t(20),
        changes: { oldValue: { status: 'new' }, newValue: { status: 'done' } },
      });
    });
    afterAll(() => app.close());

    const state = (id: string, qs = '') =>
      app.http.get(`/items/${id}/log/state${qs}`).set(ROLE, 'staff');

    it('answers the state at `at` (inclusive) and now, with asOf as ISO 8601', async () => {
      const early = await state(item, `?at=${t(10).toISOString()}`).expect(200);
      expect(early.body).toMatchObject({
        state: { name: 'A', status: 'new' },
        asOf: t(10).toISOString(),
        complete: true,
      });
      expect(early.body.entryId).toEqual(expect.any(String));
      const now = await state(item).expect(200);
      expect(now.body).toMatchObject({
        state: { name: 'A', status: 'done' },
        asOf: t(20).toISOString(),
      });
      const before = await state(item, `?at=${encodeURIComponent('2023-01-01T00:00:05+00:00')}`);
      expect(before.status).toBe(200);
      expect(before.body).toEqual({ state: null, asOf: null, entryId: null, complete: false });
    });

    it('answers the state right after one entry, even when others share its timestamp', async () => {
      const tie = `${item}-tie`;
      const object = { type: 'Item', id: tie };
      const common = { template: 'changed', tool: 'items', object, timestamp: t(30) };
      const [created, ...updates] = await app.service.logMany([
        {
          ...common,
          action: 'create',
          metadata: { snapshot: true },
          changes: { oldValue: {}, newValue: { step: 0 } },
        },
        ...[1, 2, 3].map((step) => ({
          ...common,
          action: 'update',
          changes: { oldValue: { step: step - 1 }, newValue: { step } },
        })),
      ]);
      // Storage orders entries of one instant by id: fold them in that order.
      const ordered = (await app.service.listForObject(object, { order: 'asc' })).results;
      expect(ordered.map((e) => e.id).sort()).toEqual(
        [created, ...updates].map((e) => e?.id).sort(),
      );
      const atInstant = await state(tie, `?at=${t(30).toISOString()}`).expect(200);
      expect(atInstant.body.entryId).toBe(ordered.at(-1)?.id);
      // Each entry sets `step`; the state is complete once the snapshot is folded in.
      let complete = false;
      for (const entry of ordered) {
        complete ||= entry.action === 'create';
        const res = await state(tie, `?entry=${encodeURIComponent(entry.id)}`).expect(200);
        expect(res.body).toEqual({
          state: { step: entry.changes?.newValue.step },
          asOf: t(30).toISOString(),
          entryId: entry.id,
          complete,
        });
      }
    });

    it('400 naming `entry` for an entry of another object, an unknown one, or one with `at`', async () => {
      const other = app.entries.find((e) => e.objectType === 'Item' && e.objectId !== item);
      const cases: [string, RegExp][] = [
        [`?entry=${encodeURIComponent(String(other?.id))}`, /not an entry of this object/],
        ['?entry=no-such-entry', /not an entry of this object/],
        ['?entry=', /1 to 255 characters/],
        [`?entry=x&at=${t(10).toISOString()}`, /cannot be combined/],
        ['?entry=a&entry=b', /once/],
      ];
      for (const [qs, message] of cases) {
        const res = await state(item, qs).expect(400);
        expect(res.body.error.issues[0].param, qs).toBe('entry');
        expect(res.body.error.issues[0].message, qs).toMatch(message);
      }
    });

    it('400 naming the parameter for a bad, repeated or unknown one', async () => {
      const cases: [string, string][] = [
        ['?at=garbage', 'at'],
        ['?at=2024-01-01', 'at'],
        ['?at=2024-01-01T00:00:00', 'at'],
        [`?at=${t(1).toISOString()}&at=${t(2).toISOString()}`, 'at'],
        ['?at[$gt]=x', 'at[$gt]'],
        ['?tool=alpha', 'tool'],
      ];
      for (const [qs, param] of cases) {
        const res = await state(item, qs).expect(400);
        expect(res.body.error.code).toBe('VALIDATION_ERROR');
        expect(res.body.error.issues[0].param).toBe(param);
      }
    });

    it('404 for an object without entries or outside the scope; 403 when authorize refuses', async () => {
      for (const res of [await state('no-such-item'), await state(item).set(TENANT, 'items')]) {
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('NOT_FOUND');
      }
      await state('6').expect(403);
      await app.http.get(`/items/${item}/log/state`).expect(403);
    });
  });
}
