import { describeSuite, isUniqueViolation } from '@eventlog/conformance';
import { ConfigurationError, type EventLogQuery } from '@eventlog/core';
import { type ChainLinker, eventLogQuerySchema } from '@eventlog/core/storage';
import { changedKeysTableName } from '@eventlog/sql';
import type { Knex } from 'knex';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createEventLogTable, type KnexEventLogStorage, knexStorage } from '../src/index';
import { backends, entry, randomTable } from './support';

const q = (query: EventLogQuery) => eventLogQuerySchema.parse(query);

for (const backend of backends) {
  describeSuite(
    `knex storage on ${backend.name}`,
    { name: backend.name, unavailable: backend.unavailable },
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

      it('writes a batch as one INSERT and reads nothing back to learn its ids', async () => {
        const statements: string[] = [];
        const record = (q: { sql: string }) => statements.push(q.sql);
        knex.on('query', record);
        try {
          const stored = await storage.insert([entry(), entry(), entry()]);
          expect(await storage.get(stored[2]?.id ?? '')).toEqual(stored[2]);
        } finally {
          knex.off('query', record);
        }
        // The INSERT, then the get() above; a server-version probe names no table. The changed
        // keys of the whole batch go to their side table in one more INSERT.
        const sideTable = changedKeysTableName(table);
        const onSide = statements.filter((sql) => sql.includes(sideTable));
        const onTable = statements.filter((sql) => sql.includes(table) && !sql.includes(sideTable));
        expect(onTable).toHaveLength(2);
        expect(onTable[0]).toMatch(/^insert into/i);
        expect(onSide).toHaveLength(1);
        expect(onSide[0]).toMatch(/^insert into/i);
      });

      it('returns the id each row was stored under, across full chunks of every dialect', async () => {
        // Ids after a deleted highest row: never reused, so the new ones leave a gap.
        const early = await storage.insert([entry({ message: 'e0' }), entry({ message: 'e1' })]);
        await knex(table).where('id', early[1]?.id).del();
        // 2 × 2,000 + 1: full chunks on PostgreSQL (2,000) and SQLite (500), then a lone row.
        const input = Array.from({ length: 4001 }, (_, i) => entry({ message: `m${i}` }));
        const stored = await storage.insert(input);
        expect(BigInt(stored[0]?.id ?? 0)).toBeGreaterThan(BigInt(early[1]?.id ?? 0));
        const rows = (await knex(table).select('id', 'message')) as {
          id: number | string;
          message: string;
        }[];
        const byId = new Map(rows.map((r) => [String(r.id), r.message]));
        expect(byId.size).toBe(4002);
        expect(stored.map((e) => byId.get(e.id))).toEqual(input.map((e) => e.message));
        const [one] = await storage.insert([entry({ message: 'alone' })]);
        expect(await storage.get(one?.id ?? '')).toEqual(one);
      });

      it('refuses a table name holding "?" (knex would read it as a placeholder)', async () => {
        const odd = `${randomTable()}?x`;
        expect(() => knexStorage(knex, { tableName: odd })).toThrow(ConfigurationError);
        expect(() => knexStorage(knex, { tableName: '' })).toThrow(/tableName/);
        await expect(createEventLogTable(knex, { tableName: odd })).rejects.toThrow(
          ConfigurationError,
        );
        expect(await knex.schema.hasTable(odd)).toBe(false);
      });

      it('keeps eventId unique and finds entries by it', async () => {
        const [first] = await storage.insert([entry({ eventId: 'evt-x' })]);
        await expect(storage.insert([entry({ eventId: 'evt-x' })])).rejects.toSatisfy(
          isUniqueViolation,
        );
        expect(await storage.findByEventId('evt-x')).toEqual(first);
        expect(await storage.findByEventId('nope')).toBeNull();
        // Seen inside the transaction, gone once it rolls back. The lookup is read out of the
        // transaction, so a failed expectation cannot be mistaken for the rollback.
        const rollback = new Error('roll back');
        let seenInside: unknown;
        await expect(
          knex.transaction(async (trx) => {
            const [stored] = await storage.insert([entry({ eventId: 'evt-tx' })], {
              transaction: trx,
            });
            seenInside = (await storage.findByEventId('evt-tx', { transaction: trx }))?.id;
            expect(seenInside).toBe(stored?.id);
            throw rollback;
          }),
        ).rejects.toBe(rollback);
        expect(seenInside).toMatch(/^\d+$/);
        expect(await storage.findByEventId('evt-tx')).toBeNull();
      });

      it('compares text exactly: case and trailing spaces tell eventIds, filters and chains apart', async () => {
        const [lower] = await storage.insert([entry({ eventId: 'evt-a', tool: 'items' })]);
        // Distinct values, so none of these is a duplicate eventId.
        const [upper] = await storage.insert([entry({ eventId: 'EVT-A', tool: 'Items' })]);
        const [spaced] = await storage.insert([entry({ eventId: 'evt-a ', tool: 'items ' })]);
        expect((await storage.findByEventId('evt-a'))?.id).toBe(lower?.id);
        expect((await storage.findByEventId('EVT-A'))?.id).toBe(upper?.id);
        expect((await storage.findByEventId('evt-a '))?.id).toBe(spaced?.id);
        for (const [tool, id] of [
          ['items', lower?.id],
          ['Items', upper?.id],
          ['items ', spaced?.id],
        ] as const) {
          expect((await storage.find(q({ tool: [tool] }))).results.map((e) => e.id)).toEqual([id]);
        }
        // A stand-in for core's linker: the test is about where the rows go, not the hashes.
        const link: ChainLinker = (chain, head, es) =>
          es.map((e, i) => ({
            ...e,
            seq: head.seq + i + 1,
            prevHash: head.hash,
            hash: `${chain}${head.seq + i + 1}`.padEnd(64, '0'),
          }));
        await storage.appendChained(
          [{ ...entry(), chain: 'part', contentHash: '0'.repeat(64) }],
          link,
        );
        await storage.appendChained(
          [{ ...entry(), chain: 'PART', contentHash: '0'.repeat(64) }],
          link,
        );
        expect(await storage.listChains()).toEqual(['PART', 'part']);
        expect((await storage.chainHead('part'))?.seq).toBe(1);
        expect((await storage.chainHead('PART'))?.seq).toBe(1);
      });

      it('searches case-insensitively (ASCII and beyond) on a table that compares exactly', async () => {
        await storage.insert([
          entry({ message: 'Item ALPHA was updated' }),
          entry({ message: 'Ωmega changed' }),
          entry({ message: 'beta' }),
        ]);
        const found = async (search: string) =>
          (await storage.find(q({ search }))).results.map((e) => e.message).sort();
        expect(await found('alpha')).toEqual(['Item ALPHA was updated']);
        expect(await found('ITEM alpha')).toEqual(['Item ALPHA was updated']);
        expect(await found('BETA')).toEqual(['beta']);
      });
    },
  );
}
