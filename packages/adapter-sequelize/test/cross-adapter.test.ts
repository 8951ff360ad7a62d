import { knexStorage } from '@eventlog/adapter-knex';
import {
  type EventLog,
  type EventLogQuery,
  EventLogService,
  eventLogQuerySchema,
  type LogInput,
} from '@eventlog/core';
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

/** A log() input for the chain tests; `n` orders them in time. */
const logInput = (n: number, tool: string): LogInput => ({
  template: 'Item {item__name} was updated',
  values: { item__name: { name: `Item ${n}` } },
  object: { type: 'Item', id: n },
  actor: { id: `u${n % 2}`, label: 'John Doe' },
  tool,
  action: 'update',
  changes: { oldValue: { n }, newValue: { n: n + 1, nested: { emoji: '🎉', list: [1, null] } } },
  metadata: { ip: '127.0.0.1' },
  timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, n, 123)),
});

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

      it('one hash chain, appended to by both adapters in turn, verifies through either', async () => {
        const table = randomTable();
        await createEventLogTable(db.sequelize, { tableName: table });
        const integrity = { partition: 'tool' as const };
        const viaSequelize = new EventLogService(
          sequelizeStorage(db.sequelize, { tableName: table, modelName: table }),
          { integrity },
        );
        const viaKnex = new EventLogService(knexStorage(knex, { tableName: table }), {
          integrity,
        });
        const tool = `chain_${Math.random().toString(36).slice(2, 8)}`;
        const written: EventLog[] = [];
        // Each adapter takes the head the other moved: one chain, no fork, no gap.
        for (let n = 1; n <= 6; n++) {
          const service = n % 2 === 1 ? viaSequelize : viaKnex;
          written.push(await service.log(logInput(n, tool)));
        }
        written.push(...(await viaSequelize.logMany([logInput(7, tool), logInput(8, tool)])));
        expect(written.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        for (let i = 1; i < written.length; i++) {
          expect(written[i]?.prevHash).toBe(written[i - 1]?.hash);
        }
        const checkpoint = await viaKnex.checkpoint({ partition: tool });
        for (const service of [viaSequelize, viaKnex]) {
          expect(await service.verify({ partition: tool })).toMatchObject({
            ok: true,
            partition: tool,
            checked: 8,
          });
          expect(await service.verify({ partition: tool, checkpoint })).toMatchObject({ ok: true });
          expect(await service.partitions()).toEqual([tool]);
        }
        // What one adapter returns, the other reads back identically.
        for (const e of written) {
          expect(await viaKnex.get(e.id)).toEqual(e);
          expect(await viaSequelize.get(e.id)).toEqual(e);
        }
        // Retention through sequelize keeps the chain verifiable for knex.
        expect(await viaSequelize.purge({ before: new Date(Date.UTC(2024, 0, 1, 0, 0, 4)) })).toBe(
          3,
        );
        // Entries 4..8 and the cut record sequelize appended.
        expect(await viaKnex.verify({ partition: tool })).toMatchObject({ ok: true, checked: 6 });
        // A row altered behind both adapters' backs is found by either.
        await knex(table).where('id', written[4]?.id).update({ message: 'Nothing happened' });
        for (const service of [viaSequelize, viaKnex]) {
          expect(await service.verify({ partition: tool })).toMatchObject({
            ok: false,
            firstBroken: { seq: 5 },
          });
        }
      });
    },
  );
}
