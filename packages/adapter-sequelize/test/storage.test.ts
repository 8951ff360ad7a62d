import {
  ConfigurationError,
  type EventLogQuery,
  eventLogQuerySchema,
  UNCHAINED,
  ValidationError,
} from '@eventlog/core';
import type { Sequelize } from 'sequelize';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEventLogTable, type SequelizeEventLogStorage, sequelizeStorage } from '../src/index';
import { backends, entry, type OpenBackend, randomTable, readRaw } from './support';

const q = (query: EventLogQuery) => eventLogQuerySchema.parse(query);

for (const backend of backends) {
  describe.skipIf(backend.unavailable !== undefined)(
    `sequelize storage on ${backend.name}${backend.unavailable ? ` (SKIPPED: ${backend.unavailable})` : ''}`,
    () => {
      let db: OpenBackend;
      let sequelize: Sequelize;
      let table: string;
      let storage: SequelizeEventLogStorage;

      beforeAll(async () => {
        db = await backend.open();
        sequelize = db.sequelize;
      });
      afterAll(() => db?.close());
      beforeEach(async () => {
        table = randomTable();
        await createEventLogTable(sequelize, { tableName: table });
        storage = sequelizeStorage(sequelize, { tableName: table, modelName: `Log_${table}` });
      });
      afterEach(async () => {
        await sequelize.getQueryInterface().dropTable(table);
      });

      it('returns the stored entries in input order, equal to a raw read', async () => {
        const input = [
          entry({ values: { ['__proto__']: { polluted: true }, constructor: 'x' } }),
          entry({ changes: null, metadata: null, values: null, template: null, actorId: null }),
          entry({ eventId: 'evt-1', message: 'quotes \' " and $1 ? :x \\ ünïcødé 🎉' }),
        ];
        const stored = await storage.insert(input);
        expect(stored.map((e) => e.message)).toEqual(input.map((e) => e.message));
        for (const [i, e] of stored.entries()) {
          expect(typeof e.id).toBe('string');
          expect(e).toEqual({ ...input[i], ...UNCHAINED, id: e.id });
          expect(await readRaw(sequelize, table, e.id)).toEqual(e);
          expect(await storage.get(e.id)).toEqual(e);
        }
        const proto = stored[0]?.values as Record<string, unknown>;
        expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
        expect(Object.hasOwn(proto, '__proto__')).toBe(true);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(await storage.insert([])).toEqual([]);
      });

      it('inserts 2,500 entries in one call (past one statement on PostgreSQL), in order', async () => {
        const input = Array.from({ length: 2500 }, () => entry());
        const stored = await storage.insert(input);
        expect(stored.map((e) => e.message)).toEqual(input.map((e) => e.message));
        const ids = stored.map((e) => BigInt(e.id));
        expect(new Set(ids).size).toBe(2500);
        expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] as bigint))).toBe(true);
        const last = stored[2499];
        expect(last && (await readRaw(sequelize, table, last.id))).toEqual(last);
        expect((await storage.find(q({ withCount: true, limit: 1 }))).count).toBe(2500);
      });

      // Past one statement: 2,000 rows on PostgreSQL, 10,000 on SQLite.
      const multiChunk = () => (backend.name === 'PostgreSQL' ? 2200 : 10_100);

      it('writes none of a multi-chunk insert when one entry fails', async () => {
        await storage.insert([entry({ eventId: 'dup' })]);
        const n = multiChunk();
        const input = Array.from({ length: n }, (_, i) =>
          entry({ eventId: i === n - 5 ? 'dup' : null }),
        );
        await expect(storage.insert(input)).rejects.toThrow();
        expect((await storage.find(q({ withCount: true }))).count).toBe(1);
      });

      it('nests a multi-chunk insert in the caller transaction (savepoint), all or nothing', async () => {
        const n = multiChunk();
        const t = await sequelize.transaction();
        try {
          const stored = await storage.insert(
            Array.from({ length: n }, () => entry()),
            { transaction: t },
          );
          expect(new Set(stored.map((e) => e.id)).size).toBe(n);
        } finally {
          // Not read from outside meanwhile: a SQLite writer this big holds the file lock.
          await t.rollback();
        }
        expect((await storage.find(q({ withCount: true, limit: 1 }))).count).toBe(0);
        const t2 = await sequelize.transaction();
        const kept = await storage.insert(
          Array.from({ length: n }, () => entry()),
          { transaction: t2 },
        );
        await t2.commit();
        const last = kept[n - 1];
        expect(last && (await readRaw(sequelize, table, last.id))).toEqual(last);
        expect((await storage.find(q({ withCount: true, limit: 1 }))).count).toBe(n);
      });

      it('keeps eventId unique and finds entries by it, also inside a transaction', async () => {
        const [first] = await storage.insert([entry({ eventId: 'evt-x' })]);
        await expect(storage.insert([entry({ eventId: 'evt-x' })])).rejects.toThrow();
        expect(await storage.findByEventId('evt-x')).toEqual(first);
        expect(await storage.findByEventId('nope')).toBeNull();
        const t = await sequelize.transaction();
        await storage.insert([entry({ eventId: 'evt-tx' })], { transaction: t });
        expect((await storage.findByEventId('evt-tx', { transaction: t }))?.eventId).toBe('evt-tx');
        await t.rollback();
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
            message: 'Hello World!',
          }),
        ]);
        const msgs = async (query: EventLogQuery) =>
          (await storage.find(q(query))).results.map((e) => e.message).sort();
        expect(await msgs({ tool: ['a', 'b'] })).toEqual([
          '50 % OFF',
          '50% off_now',
          'Hello World!',
        ]);
        expect(await msgs({ action: 'update' })).toEqual(['50 % OFF', 'Hello World!']);
        expect(await msgs({ actorId: 'u2' })).toEqual(['50 % OFF']);
        expect(await msgs({ objectType: 'Team', objectId: '7' })).toEqual(['Hello World!']);
        expect(await msgs({ from: t(1), to: t(3) })).toEqual(['50 % OFF', 'path C:\\temp\\x']);
        expect(await msgs({ search: '50%' })).toEqual(['50% off_now']);
        expect(await msgs({ search: 'F_' })).toEqual(['50% off_now']);
        expect(await msgs({ search: ':\\t' })).toEqual(['path C:\\temp\\x']);
        expect(await msgs({ search: 'hello world' })).toEqual(['Hello World!']);
        expect(await msgs({ search: 'd!' })).toEqual(['Hello World!']);
        expect(await msgs({ search: '!!' })).toEqual([]);
      });

      it('walks every page by cursor without skipping or repeating, both orders', async () => {
        const same = new Date(Date.UTC(2024, 1, 1));
        const stored = await storage.insert(
          Array.from({ length: 11 }, (_, i) =>
            entry({ timestamp: i % 3 === 0 ? same : new Date(same.getTime() + i) }),
          ),
        );
        const sorted = [...stored].sort(
          (a, b) => a.timestamp.getTime() - b.timestamp.getTime() || Number(a.id) - Number(b.id),
        );
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

      it('refuses a model name already bound to another table', () => {
        const modelName = `Log_${table}`;
        expect(sequelizeStorage(sequelize, { tableName: table, modelName }).model).toBe(
          storage.model,
        );
        expect(() =>
          sequelizeStorage(sequelize, { tableName: `${table}_other`, modelName }),
        ).toThrow(ConfigurationError);
      });

      it('reads and writes through the model as Dates and objects', async () => {
        const [stored] = await storage.insert([entry()]);
        const row = await storage.model.findByPk(stored?.id);
        expect(row?.get('timestamp')).toEqual(stored?.timestamp);
        expect(row?.get('values')).toEqual(stored?.values);
        const created = await storage.model.create({
          timestamp: new Date(Date.UTC(2030, 0, 1, 0, 0, 0, 7)),
          message: 'via model',
          tool: 'model',
          action: 'create',
          metadata: { a: [1, 2] },
        });
        const viaStorage = await storage.get(String(created.get('id')));
        expect(viaStorage).toMatchObject({
          timestamp: new Date(Date.UTC(2030, 0, 1, 0, 0, 0, 7)),
          message: 'via model',
          metadata: { a: [1, 2] },
          values: null,
          eventId: null,
        });
      });
    },
  );
}
