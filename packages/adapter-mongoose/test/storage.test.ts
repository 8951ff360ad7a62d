import { describeSuite, isUniqueViolation } from '@eventlog/conformance';
import { type EventLogQuery, ValidationError } from '@eventlog/core';
import { eventLogQuerySchema } from '@eventlog/core/storage';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { mongooseStorage } from '../src';
import { entry } from './fixtures';
import {
  closeConnection,
  connection,
  createHarness,
  randomCollection,
  serverLabel,
  target,
} from './harness';

const q = (query: EventLogQuery = {}) => eventLogQuerySchema.parse(query);

describeSuite(
  `mongoose storage specifics (${serverLabel})`,
  { name: 'mongoose', unavailable: target.unavailable },
  () => {
    let h: Awaited<ReturnType<typeof createHarness>>;
    beforeEach(async () => {
      h = await createHarness();
    });
    afterEach(() => h.close());
    afterAll(closeConnection);

    it('round-trips JSON keys MongoDB and JavaScript treat specially', async () => {
      const tricky = JSON.parse(
        '{"__proto__":{"polluted":true},"constructor":{"prototype":1},"a.b":1,"$set":{"$where":"x"},"":0,"nested":{"$ne":null,"x.y":[{"$gt":""}]}}',
      );
      const [stored] = await h.storage.insert([
        entry({
          values: tricky,
          metadata: tricky,
          changes: { oldValue: tricky, newValue: { '.': 1, $: 2 } },
        }),
      ]);
      const raw = await h.readRaw(stored!.id);
      const viaGet = await h.storage.get(stored!.id);
      for (const read of [stored!, raw!, viaGet!]) {
        expect(JSON.stringify(read.values)).toBe(JSON.stringify(tricky));
        expect(JSON.stringify(read.metadata)).toBe(JSON.stringify(tricky));
        expect(read.changes?.newValue).toEqual({ '.': 1, $: 2 });
        expect(Object.getPrototypeOf(read.values)).toBe(Object.prototype);
        expect(Object.hasOwn(read.values!, '__proto__')).toBe(true);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('exposes ids as ObjectId hex strings and answers null for ids of another shape', async () => {
      const [stored] = await h.storage.insert([entry()]);
      expect(stored!.id).toMatch(/^[0-9a-f]{24}$/);
      expect(await h.storage.get(stored!.id)).toEqual(stored);
      for (const foreign of ['1', 'abc', 'zzzzzzzzzzzzzzzzzzzzzzzz', '123456789012', '']) {
        expect(await h.storage.get(foreign)).toBeNull();
      }
      expect(await h.storage.get('0123456789abcdef01234567')).toBeNull();
    });

    it('creates the documented indexes', async () => {
      const indexes = await (await connection()).collection(h.collection).listIndexes().toArray();
      const keys = indexes.map((i) => Object.keys(i.key).join(','));
      expect(keys).toEqual(
        expect.arrayContaining([
          'objectType,objectId,timestamp,_id',
          'tool,timestamp,_id',
          'actorId,timestamp,_id',
          'timestamp,_id',
          'eventId',
        ]),
      );
      const eventId = indexes.find((i) => Object.keys(i.key).join(',') === 'eventId');
      expect(eventId?.unique).toBe(true);
      expect(eventId?.partialFilterExpression).toEqual({ eventId: { $type: 'string' } });
    });

    it('stores many entries without an eventId (null does not collide) and refuses a repeated one', async () => {
      const tool = 'dedupe';
      await h.storage.insert([entry({ tool }), entry({ tool }), entry({ tool, eventId: 'e-1' })]);
      await expect(h.storage.insert([entry({ tool, eventId: 'e-1' })])).rejects.toSatisfy(
        isUniqueViolation,
      );
      expect((await h.storage.find(q({ tool, withCount: true }))).count).toBe(3);
      expect((await h.storage.findByEventId!('e-1'))?.eventId).toBe('e-1');
      expect(await h.storage.findByEventId!('e-2')).toBeNull();
    });

    it('writes nothing of a batch that fails outside a transaction', async () => {
      const tool = 'batch';
      await h.storage.insert([entry({ tool, eventId: 'taken' })]);
      const batch = [entry({ tool, eventId: 'fresh-1' }), entry({ tool, eventId: 'taken' })];
      await expect(h.storage.insert(batch)).rejects.toSatisfy(isUniqueViolation);
      const page = await h.storage.find(q({ tool, withCount: true }));
      expect(page.count).toBe(1);
      expect(await h.storage.findByEventId!('fresh-1')).toBeNull();
    });

    it('pages with a keyset cursor through equal timestamps, both orders, with no gap or repeat', async () => {
      const tool = 'paging';
      const t = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);
      const stored = await h.storage.insert(
        [0, 1, 1, 1, 2, 2, 3, 5, 5, 8].map((ms, i) =>
          entry({ tool, timestamp: t(ms), message: `m${i}` }),
        ),
      );
      for (const order of ['desc', 'asc'] as const) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await h.storage.find(q({ tool, order, limit: 3, cursor }));
          expect(page.results.length).toBeLessThanOrEqual(3);
          seen.push(...page.results.map((r) => r.id));
          cursor = page.nextCursor;
        } while (cursor);
        const expected = [...stored]
          .sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime() || a.id.localeCompare(b.id))
          .map((e) => e.id);
        expect(seen).toEqual(order === 'asc' ? expected : expected.reverse());
      }
    });

    it('refuses a cursor of the other order or of another shape', async () => {
      const tool = 'cursor';
      await h.storage.insert([entry({ tool }), entry({ tool })]);
      const { nextCursor } = await h.storage.find(q({ tool, limit: 1 }));
      expect(nextCursor).not.toBeNull();
      await expect(h.storage.find(q({ tool, order: 'asc', cursor: nextCursor }))).rejects.toThrow(
        ValidationError,
      );
      const forged = Buffer.from(JSON.stringify(['d', 'soon', 'x'])).toString('base64url');
      await expect(h.storage.find(q({ tool, cursor: forged }))).rejects.toThrow(ValidationError);
    });

    it('searches the message as literal text, case-insensitively', async () => {
      const tool = 'search';
      await h.storage.insert([
        entry({ tool, message: 'Price is $5.00 (net) [a*b]' }),
        entry({ tool, message: 'Price is $5X00 net ab' }),
        entry({ tool, message: 'back\\slash and 100% ^start|end' }),
      ]);
      const hits = async (search: string) =>
        (await h.storage.find(q({ tool, search }))).results.map((r) => r.message);
      expect(await hits('$5.00 (NET) [A*B]')).toEqual(['Price is $5.00 (net) [a*b]']);
      expect(await hits('.')).toEqual(['Price is $5.00 (net) [a*b]']);
      expect(await hits('\\s')).toEqual(['back\\slash and 100% ^start|end']);
      expect(await hits('^start|end')).toEqual(['back\\slash and 100% ^start|end']);
      expect(await hits('.*')).toEqual([]);
    });

    it('filters, counts and offsets', async () => {
      const tool = 'filters';
      const day = (d: number) => new Date(Date.UTC(2026, 0, d));
      await h.storage.insert([
        entry({
          tool,
          action: 'create',
          actorId: 'u1',
          objectType: 'Item',
          objectId: '1',
          timestamp: day(1),
        }),
        entry({
          tool,
          action: 'update',
          actorId: 'u1',
          objectType: 'Item',
          objectId: '1',
          timestamp: day(2),
        }),
        entry({
          tool,
          action: 'update',
          actorId: 'u2',
          objectType: 'Item',
          objectId: '2',
          timestamp: day(3),
        }),
        entry({
          tool,
          action: 'delete',
          actorId: 'u2',
          objectType: 'Team',
          objectId: '1',
          timestamp: day(4),
        }),
      ]);
      const count = async (query: EventLogQuery) =>
        (await h.storage.find(q({ tool, withCount: true, ...query }))).count;
      expect(await count({})).toBe(4);
      expect(await count({ action: ['create', 'delete'] })).toBe(2);
      expect(await count({ actorId: 'u2' })).toBe(2);
      expect(await count({ objectType: 'Item', objectId: '1' })).toBe(2);
      expect(await count({ from: day(2), to: day(4) })).toBe(2);
      const page = await h.storage.find(q({ tool, offset: 1, limit: 2, withCount: true }));
      expect(page.results.map((r) => r.timestamp)).toEqual([day(3), day(2)]);
      expect(page.count).toBe(4);
      expect(page.nextCursor).not.toBeNull();
      expect(await h.storage.find(q({ tool: 'nothing-here' }))).toEqual({
        results: [],
        nextCursor: null,
      });
    });

    it('deletes before a cutoff, optionally for some tools only', async () => {
      const day = (d: number) => new Date(Date.UTC(2026, 0, d));
      await h.storage.insert([
        entry({ tool: 'a', timestamp: day(1) }),
        entry({ tool: 'b', timestamp: day(1) }),
        entry({ tool: 'a', timestamp: day(5) }),
      ]);
      expect(await h.storage.deleteBefore(day(2), { tool: ['a'] })).toBe(1);
      expect(await h.storage.deleteBefore(day(2))).toBe(1);
      expect(await h.storage.deleteBefore(day(2))).toBe(0);
      expect((await h.storage.find(q({ withCount: true }))).count).toBe(1);
    });

    it('reuses its own model and refuses to take over a foreign one', async () => {
      const conn = await connection();
      expect(mongooseStorage(conn, { collection: h.collection }).model).toBe(h.storage.model);
      const name = randomCollection('Foreign');
      conn.model(name, new (await import('mongoose')).Schema({ x: String }));
      expect(() => mongooseStorage(conn, { modelName: name })).toThrow(/already has a model/);
      conn.deleteModel(name);
    });
  },
);
