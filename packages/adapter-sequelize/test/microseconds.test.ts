import { describeSuite } from '@eventlog/conformance';
import { eventLogQuerySchema } from '@eventlog/core';
import { expect, it } from 'vitest';
import { createEventLogTable, sequelizeStorage } from '../src/index';
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
        const db = await backend.open();
        const table = randomTable();
        try {
          await createEventLogTable(db.sequelize, { tableName: table });
          const ts = backend.name === 'PostgreSQL' ? 'CAST($1 AS timestamptz)' : '$1';
          // Raw SQL, shuffled, so ids do not follow time order.
          for (const i of [3, 0, 5, 2, 1, 4]) {
            await db.sequelize.query(
              `INSERT INTO "${table}" ("timestamp", "message", "tool", "action") VALUES (${ts}, $2, 't', 'a')`,
              { bind: [stamps[i], `m${i}`] },
            );
          }
          const storage = sequelizeStorage(db.sequelize, { tableName: table });
          const all = (await storage.find(eventLogQuerySchema.parse({ order: 'asc' }))).results;
          const idOf = new Map(all.map((e) => [e.message, BigInt(e.id)]));
          const expectedAsc = stamps
            .map((stamp, i) => ({ stamp, id: idOf.get(`m${i}`) as bigint, m: `m${i}` }))
            .sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : a.id < b.id ? -1 : 1))
            .map((r) => r.m);
          expect(all.map((e) => e.message)).toEqual(expectedAsc);
          for (const order of ['asc', 'desc'] as const) {
            for (const limit of [1, 2, 4]) {
              const seen: string[] = [];
              let cursor: string | null = null;
              do {
                const page = await storage.find(
                  eventLogQuerySchema.parse({ order, limit, cursor }),
                );
                seen.push(...page.results.map((e) => e.message));
                cursor = page.nextCursor;
              } while (cursor !== null);
              expect(seen).toEqual(order === 'asc' ? expectedAsc : [...expectedAsc].reverse());
            }
          }
        } finally {
          await db.close();
        }
      });
    },
  );
}
