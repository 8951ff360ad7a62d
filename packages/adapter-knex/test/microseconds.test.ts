import { describeSuite } from '@eventlog/conformance';
import { eventLogQuerySchema } from '@eventlog/core';
import { expect, it } from 'vitest';
import { createEventLogTable, knexStorage } from '../src/index';
import { backends, randomTable } from './support';

// Rows written by other tools (or by PostgreSQL's now()) carry microseconds a JS Date cannot
// hold; a cursor built from a Date would skip or repeat them.
const stamps = [
  '2024-03-01T10:00:00.000001Z',
  '2024-03-01T10:00:00.000002Z',
  '2024-03-01T10:00:00.000002Z',
  '2024-03-01T10:00:00.000900Z',
  '2024-03-01T10:00:00.001000Z',
  '2024-03-01T10:00:00.001001Z',
];

for (const backend of backends) {
  describeSuite(
    `microsecond ties on ${backend.name}`,
    { name: backend.name, unavailable: backend.unavailable },
    () => {
      it('walks rows differing only in microseconds without skip or repeat', async () => {
        const { knex, close } = await backend.open();
        const table = randomTable();
        try {
          await createEventLogTable(knex, { tableName: table });
          // Raw SQL, shuffled, so ids do not follow time order.
          const order = [3, 0, 5, 2, 1, 4];
          for (const i of order) {
            const stamp = stamps[i] as string;
            await knex(table).insert({
              // MySQL takes no ISO 8601 `T...Z` literal: another tool writes UTC wall time.
              timestamp:
                knex.client.dialect === 'mysql' ? stamp.slice(0, 26).replace('T', ' ') : stamp,
              message: `m${i}`,
              tool: 't',
              action: 'a',
            });
          }
          const rows = (await knex(table).select('id', 'message')) as {
            id: number | string;
            message: string;
          }[];
          const byMessage = new Map(rows.map((r) => [r.message, BigInt(r.id)]));
          const expectedAsc = stamps
            .map((ts, i) => ({ ts, id: byMessage.get(`m${i}`) as bigint, m: `m${i}` }))
            .sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.id < b.id ? -1 : 1))
            .map((r) => r.m);

          const storage = knexStorage(knex, { tableName: table });
          for (const dir of ['asc', 'desc'] as const) {
            for (const limit of [1, 2, 4]) {
              const seen: string[] = [];
              let cursor: string | null = null;
              do {
                const page = await storage.find(
                  eventLogQuerySchema.parse({ order: dir, limit, cursor }),
                );
                seen.push(...page.results.map((e) => e.message));
                cursor = page.nextCursor;
              } while (cursor !== null);
              expect(seen).toEqual(dir === 'asc' ? expectedAsc : [...expectedAsc].reverse());
            }
          }
        } finally {
          await knex.schema.dropTableIfExists(table);
          await close();
        }
      });
    },
  );
}
