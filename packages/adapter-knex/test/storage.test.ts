import {
  type EventLogQuery,
  eventLogQuerySchema,
  UNCHAINED,
  ValidationError,
} from '@eventlog/core';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventLogTable, type KnexEventLogStorage, knexStorage } from '../src/index';
import { backends, entry, randomTable, readRaw } from './support';

const q = (query: EventLogQuery) => eventLogQuerySchema.parse(query);

for (const backend of backends) {
  describe.skipIf(backend.unavailable !== undefined)(
    `knex storage on ${backend.name}${backend.unavailable ? ` (SKIPPED: ${backend.unavailable})` : ''}`,
    () => {
      let knex: Knex;
      let close: () => Promise<void>;
      let table: string;
      let storage: KnexEventLogStorage;

      beforeEach(async () => {
        ({ knex, close } = await backend.open());
        table = randomTable();
        await createEventLogTable(knex, { tableName: table });
        storage = knexStorage(knex, { tableName: table });
      });
      afterEach(async () => {
        await knex.schema.dropTableIfExists(table);
        await close();
      });

      it('returns the stored entries in input order, equal to a raw read', async () => {
        const input = [
          entry({ values: { ['__proto__']: { polluted: true }, constructor: 'x' } }),
          entry({ changes: null, metadata: null, values: null, template: null, actorId: null }),
          entry({ eventId: 'evt-1' }),
        ];
        const stored = await storage.insert(input);
        expect(stored.map((e) => e.message)).toEqual(input.map((e) => e.message));
        for (const [i, e] of stored.entries()) {
          expect(typeof e.id).toBe('string');
          expect(e).toEqual({ ...input[i], ...UNCHAINED, id: e.id });
          expect(await readRaw(knex, table, e.id)).toEqual(e);
          expect(await storage.get(e.id)).toEqual(e);
        }
        const proto = stored[0]?.values as Record<string, unknown>;
        expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
        expect(Object.hasOwn(proto, '__proto__')).toBe(true);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(await storage.insert([])).toEqual([]);
      });

      it('inserts 1,000 entries in one call (past SQLite 500-term limit), in order', async () => {
        const input = Array.from({ length: 1000 }, () => entry());
        const stored = await storage.insert(input);
        expect(stored.map((e) => e.message)).toEqual(input.map((e) => e.message));
        const ids = stored.map((e) => BigInt(e.id));
        expect(new Set(ids).size).toBe(1000);
        expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] as bigint))).toBe(true);
        const page = await storage.find(q({ withCount: true, limit: 1 }));
        expect(page.count).toBe(1000);
      });

      it('writes none of a multi-chunk insert when one entry fails', async () => {
        await storage.insert([entry({ eventId: 'dup' })]);
        const input = Array.from({ length: 1200 }, (_, i) =>
          entry({ eventId: i === 1100 ? 'dup' : null }),
        );
        await expect(storage.insert(input)).rejects.toThrow();
        expect((await storage.find(q({ withCount: true }))).count).toBe(1);
      });

      it('keeps eventId unique and finds entries by it', async () => {
        const [first] = await storage.insert([entry({ eventId: 'evt-x' })]);
        await expect(storage.insert([entry({ eventId: 'evt-x' })])).rejects.toThrow();
        expect(await storage.findByEventId('evt-x')).toEqual(first);
        expect(await storage.findByEventId('nope')).toBeNull();
        await knex
          .transaction(async (trx) => {
            await storage.insert([entry({ eventId: 'evt-tx' })], { transaction: trx });
            expect((await storage.findByEventId('evt-tx', { transaction: trx }))?.eventId).toBe(
              'evt-tx',
            );
            await trx.rollback();
          })
          .catch(() => {});
        expect(await storage.findByEventId('evt-tx')).toBeNull();
      });

      it('returns null from get for absent and foreign-shaped ids', async () => {
        const [e] = await storage.insert([entry()]);
        expect(e).toBeDefined();
        for (const id of [
          'abc',
          '0',
          '-1',
          '1.5',
          '99999999999999999999',
          '9223372036854775808',
          ' 1',
          '',
        ]) {
          expect(await storage.get(id)).toBeNull();
        }
        expect(await storage.get(String(BigInt(e?.id ?? '0') + 1n))).toBeNull();
      });

      it('filters by tool, action, actor, object, time range and search', async () => {
        const t = (ms: number) => new Date(Date.UTC(2024, 5, 1) + ms);
        await storage.insert([
          entry({
            tool: 'a',
            action: 'create',
            actorId: 'u1',
            timestamp: t(0),
            message: '50% off_now',
          }),
          entry({
            tool: 'b',
            action: 'update',
            actorId: 'u2',
            timestamp: t(1),
            message: '50 % OFF',
          }),
          entry({
            tool: 'c',
            action: 'delete',
            actorId: 'u1',
            timestamp: t(2),
            message: 'path C:\\temp\\x',
          }),
          entry({
            tool: 'a',
            action: 'update',
            objectType: 'Team',
            objectId: '7',
            timestamp: t(3),
            message: 'Hello World',
          }),
        ]);
        const msgs = async (query: EventLogQuery) =>
          (await storage.find(q(query))).results.map((e) => e.message).sort();
        expect(await msgs({ tool: ['a', 'b'] })).toEqual([
          '50 % OFF',
          '50% off_now',
          'Hello World',
        ]);
        expect(await msgs({ action: 'update' })).toEqual(['50 % OFF', 'Hello World']);
        expect(await msgs({ actorId: 'u2' })).toEqual(['50 % OFF']);
        expect(await msgs({ objectType: 'Team', objectId: '7' })).toEqual(['Hello World']);
        expect(await msgs({ from: t(1), to: t(3) })).toEqual(['50 % OFF', 'path C:\\temp\\x']);
        expect(await msgs({ search: '50%' })).toEqual(['50% off_now']);
        expect(await msgs({ search: 'f_n' })).toEqual(['50% off_now']);
        expect(await msgs({ search: 'F_' })).toEqual(['50% off_now']);
        expect(await msgs({ search: ':\\t' })).toEqual(['path C:\\temp\\x']);
        expect(await msgs({ search: 'hello world' })).toEqual(['Hello World']);
        expect(await msgs({ search: '!' })).toEqual([]);
      });

      it('walks every page by cursor without skipping or repeating, both orders', async () => {
        const same = new Date(Date.UTC(2024, 1, 1));
        const stored = await storage.insert(
          Array.from({ length: 11 }, (_, i) =>
            entry({ timestamp: i % 3 === 0 ? same : new Date(same.getTime() + i) }),
          ),
        );
        const key = (e: { timestamp: Date; id: string }) =>
          [e.timestamp.getTime(), BigInt(e.id)] as const;
        const sorted = [...stored].sort((a, b) => {
          const [ta, ia] = key(a);
          const [tb, ib] = key(b);
          return ta - tb || (ia < ib ? -1 : ia > ib ? 1 : 0);
        });
        for (const order of ['asc', 'desc'] as const) {
          const seen: string[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const page = await storage.find(q({ order, limit: 3, cursor, withCount: pages === 0 }));
            if (pages === 0) expect(page.count).toBe(11);
            else expect(page.count).toBeUndefined();
            seen.push(...page.results.map((e) => e.id));
            cursor = page.nextCursor;
            pages += 1;
          } while (cursor !== null);
          const expected = (order === 'asc' ? sorted : [...sorted].reverse()).map((e) => e.id);
          expect(seen).toEqual(expected);
          expect(pages).toBe(4);
          const offsetPage = await storage.find(q({ order, limit: 4, offset: 8 }));
          expect(offsetPage.results.map((e) => e.id)).toEqual(expected.slice(8));
          expect(offsetPage.nextCursor).toBeNull();
        }
        expect(await storage.find(q({ tool: 'none' }))).toEqual({ results: [], nextCursor: null });
      });

      it('refuses forged cursors with a ValidationError on cursor', async () => {
        await storage.insert([entry(), entry()]);
        const page = await storage.find(q({ limit: 1 }));
        expect(page.nextCursor).not.toBeNull();
        const forged = [
          'garbage',
          Buffer.from(JSON.stringify(['d', "2024' OR 1=1", '1'])).toString('base64url'),
          Buffer.from(JSON.stringify(['d', '2024-01-01T00:00:00.000000Z', '1 OR 1=1'])).toString(
            'base64url',
          ),
          Buffer.from(JSON.stringify(['d', '2024-01-01T00:00:00.000000Z'])).toString('base64url'),
          (page.nextCursor as string).slice(0, -4),
        ];
        for (const cursor of forged) {
          await expect(storage.find(q({ cursor }))).rejects.toBeInstanceOf(ValidationError);
        }
        await expect(
          storage.find(q({ cursor: page.nextCursor, order: 'asc' })),
        ).rejects.toBeInstanceOf(ValidationError);
      });

      it('deletes entries before a cutoff, optionally of some tools only', async () => {
        const t = (day: number) => new Date(Date.UTC(2024, 0, day));
        await storage.insert([
          entry({ timestamp: t(1), tool: 'a' }),
          entry({ timestamp: t(2), tool: 'b' }),
          entry({ timestamp: t(3), tool: 'a' }),
          entry({ timestamp: t(10), tool: 'a' }),
        ]);
        expect(await storage.deleteBefore(t(5), { tool: ['b'] })).toBe(1);
        expect(await storage.deleteBefore(t(3))).toBe(1);
        expect(await storage.deleteBefore(t(3))).toBe(0);
        const left = (await storage.find(q({ order: 'asc' }))).results.map((e) => e.timestamp);
        expect(left).toEqual([t(3), t(10)]);
      });
    },
  );
}
