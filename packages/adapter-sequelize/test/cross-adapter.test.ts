import { knexStorage } from '@eventlog/adapter-knex';
import { type EventLog, type EventLogQuery, eventLogQuerySchema } from '@eventlog/core';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventLogTable, sequelizeStorage } from '../src/index';
import { backends, entry, type OpenBackend, randomTable } from './support';

const q = (query: EventLogQuery) => eventLogQuerySchema.parse(query);

/** `(timestamp, id)` ascending: the order `find({ order: 'asc' })` promises. */
const byTime = (entries: EventLog[]) =>
  [...entries].sort(
    (a, b) => a.timestamp.getTime() - b.timestamp.getTime() || Number(a.id) - Number(b.id),
  );

const mixed = () => [
  entry({ values: { ['__proto__']: { x: 1 }, emoji: '🎉', nested: { a: [1, 'two', null] } } }),
  entry({
    changes: null,
    metadata: null,
    values: null,
    template: null,
    actorId: null,
    actorLabel: null,
  }),
  entry({
    eventId: `evt-${Math.random()}`,
    timestamp: new Date(Date.UTC(2031, 11, 31, 23, 59, 59, 999)),
  }),
  entry({ objectType: null, objectId: null, message: "it's 100% \\ done_" }),
];

for (const backend of backends) {
  describe.skipIf(backend.unavailable !== undefined)(
    `cross-adapter reads with knex on ${backend.name}${backend.unavailable ? ` (SKIPPED: ${backend.unavailable})` : ''}`,
    () => {
      let db: OpenBackend;
      let knex: Knex;

      beforeAll(async () => {
        db = await backend.open();
        knex =
          backend.name === 'PostgreSQL'
            ? knexFactory({ client: 'pg', connection: db.location, pool: { min: 0, max: 2 } })
            : knexFactory({
                client: 'better-sqlite3',
                connection: { filename: db.location },
                useNullAsDefault: true,
              });
      });
      afterAll(async () => {
        await knex?.destroy();
        await db?.close();
      });

      it('knex reads exactly what sequelize wrote', async () => {
        const table = randomTable();
        await createEventLogTable(db.sequelize, { tableName: table });
        const writer = sequelizeStorage(db.sequelize, { tableName: table, modelName: table });
        const reader = knexStorage(knex, { tableName: table });
        const written = await writer.insert(mixed());
        for (const e of written) expect(await reader.get(e.id)).toEqual(e);
        for (const order of ['asc', 'desc'] as const) {
          const query = q({ order, withCount: true, search: '%', tool: 'items' });
          expect(await reader.find(query)).toEqual(await writer.find(query));
        }
        expect((await reader.find(q({ order: 'asc' }))).results).toEqual(byTime(written));
      });

      it('sequelize reads exactly what knex wrote', async () => {
        const table = randomTable();
        await createEventLogTable(db.sequelize, { tableName: table });
        const writer = knexStorage(knex, { tableName: table });
        const reader = sequelizeStorage(db.sequelize, { tableName: table, modelName: table });
        const written = await writer.insert(mixed());
        for (const e of written) expect(await reader.get(e.id)).toEqual(e);
        expect((await reader.find(q({ order: 'asc' }))).results).toEqual(byTime(written));
        const first = await reader.find(q({ limit: 2 }));
        const rest = await reader.find(q({ limit: 2, cursor: first.nextCursor }));
        expect([...first.results, ...rest.results]).toEqual(byTime(written).reverse());
        expect(await reader.deleteBefore(new Date(Date.UTC(2030, 0, 1)))).toBe(3);
        expect((await writer.find(q({}))).results.map((e) => e.id)).toEqual([written[2]?.id]);
      });
    },
  );
}
