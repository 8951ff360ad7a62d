import { describeSuite } from '@eventlog/conformance';
import type { EventLogQuery } from '@eventlog/core';
import { eventLogQuerySchema } from '@eventlog/core/storage';
import type { Knex } from 'knex';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createEventLogTable, type KnexEventLogStorage, knexStorage } from '../src/index';
import { backends, entry, randomTable } from './support';

const q = (query: EventLogQuery) => eventLogQuerySchema.parse(query);

for (const backend of backends.filter((b) => b.name.startsWith('PostgreSQL'))) {
  describeSuite(
    `knex page reads on ${backend.name}`,
    { name: backend.name, unavailable: backend.unavailable },
    () => {
      let knex: Knex;
      let close: () => Promise<void>;
      let table: string;
      let storage: KnexEventLogStorage;
      /** The prepared-statement name each page read on the table was sent with. */
      let names: (string | undefined)[];
      const record = (query: { sql: string; options?: { name?: string } }) => {
        if (query.sql.includes(table) && query.sql.includes(' ORDER BY ')) {
          names.push(query.options?.name);
        }
      };

      beforeEach(async () => {
        ({ knex, close } = await backend.open());
        table = randomTable();
        await createEventLogTable(knex, { tableName: table, ...backend.tableOptions });
        storage = knexStorage(knex, { tableName: table });
        names = [];
        knex.on('query', record);
      });
      afterEach(async () => {
        knex.off('query', record);
        await knex.schema.dropTableIfExists(table);
        await close();
      });

      it('prepares a page served by one index, and reads the entries as stored', async () => {
        const stored = await storage.insert(
          Array.from({ length: 12 }, (_, i) =>
            entry({
              tool: i % 2 ? 'odd' : 'even',
              timestamp: new Date(Date.UTC(2025, 0, 1, 0, 0, i, 7)),
            }),
          ),
        );
        const even = stored.filter((e) => e.tool === 'even').reverse();
        // More calls at once than the pool has connections: each prepares the statement once.
        const pages = await Promise.all(
          Array.from({ length: 10 }, () => storage.find(q({ tool: 'even', limit: 4 }))),
        );
        for (const page of pages) expect(page.results).toEqual(even.slice(0, 4));
        const next = await storage.find(
          q({ tool: 'even', limit: 4, cursor: pages[0]?.nextCursor }),
        );
        expect(next.results).toEqual(even.slice(4));
        expect(await storage.get(even[0]?.id ?? '')).toEqual(even[0]);
        expect(names).toHaveLength(11);
        expect(new Set(names.slice(0, 10)).size).toBe(1);
        expect(names[0]).toMatch(/^eventlog_[0-9a-f]{40}$/);
        expect(names[10]).toMatch(/^eventlog_[0-9a-f]{40}$/);
        expect(names[10]).not.toBe(names[0]);
      });

      it('leaves unnamed a page whose plan depends on its values', async () => {
        await storage.insert([entry({ tool: 'a', actorId: 'u1' }), entry({ tool: 'b' })]);
        const read = async (query: EventLogQuery) => (await storage.find(q(query))).results.length;
        expect(await read({ tool: 'a', actorId: 'u1' })).toBe(1);
        expect(await read({ tool: ['a', 'b'] })).toBe(2);
        expect(await read({ action: 'update' })).toBe(2);
        expect(await read({ offset: 1 })).toBe(1);
        expect(await read({ search: 'x' })).toBe(0);
        expect(names.filter((n) => n !== undefined)).toEqual([]);
      });
    },
  );
}
