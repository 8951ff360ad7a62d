import { describeSuite, isUniqueViolation } from '@eventlog/conformance';
import { ConfigurationError, type EventLogQuery } from '@eventlog/core';
import { eventLogQuerySchema } from '@eventlog/core/storage';
import type { Sequelize } from 'sequelize';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createEventLogTable, type SequelizeEventLogStorage, sequelizeStorage } from '../src/index';
import { backends, entry, type OpenBackend, randomTable, readRaw } from './support';

const q = (query: EventLogQuery) => eventLogQuerySchema.parse(query);

for (const backend of backends) {
  describeSuite(
    `sequelize storage on ${backend.name}`,
    { name: backend.name, unavailable: backend.unavailable },
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
        expect((await storage.find(q({ withCount: 'exact', limit: 1 }))).count).toBe(n);
      });

      it('keeps eventId unique and finds entries by it, also inside a transaction', async () => {
        const [first] = await storage.insert([entry({ eventId: 'evt-x' })]);
        await expect(storage.insert([entry({ eventId: 'evt-x' })])).rejects.toSatisfy(
          isUniqueViolation,
        );
        expect(await storage.findByEventId('evt-x')).toEqual(first);
        expect(await storage.findByEventId('nope')).toBeNull();
        const t = await sequelize.transaction();
        await storage.insert([entry({ eventId: 'evt-tx' })], { transaction: t });
        expect((await storage.findByEventId('evt-tx', { transaction: t }))?.eventId).toBe('evt-tx');
        await t.rollback();
        expect(await storage.findByEventId('evt-tx')).toBeNull();
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
