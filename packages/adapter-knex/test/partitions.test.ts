import { describeSuite, isUniqueViolation } from '@eventlog/conformance';
import { ConfigurationError, ConflictError, EventLogService } from '@eventlog/core';
import type { Knex } from 'knex';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  createEventLogTable,
  ensurePartitions,
  type KnexEventLogStorage,
  knexStorage,
} from '../src/index';
import { entry, postgres, postgresPartitioned, randomTable, sqliteFile } from './support';

/** The first instant of the UTC month `n` months after the current one. */
const month = (n: number, day = 1): Date => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + n, day));
};

let knex: Knex;
let close: () => Promise<void>;
let table: string;
let storage: KnexEventLogStorage;

const rowsOf = async <T>(sql: string, bindings: Knex.RawBinding[] = []): Promise<T[]> =>
  ((await knex.raw(sql, bindings)) as { rows: T[] }).rows;

/** How many partitions `parent` has (the DEFAULT one included), from pg_inherits. */
const partitionCount = async (parent: string): Promise<number> =>
  Number(
    (
      await rowsOf<{ n: string }>(
        'SELECT COUNT(*) AS n FROM pg_inherits WHERE inhparent = to_regclass(?)',
        [parent],
      )
    )[0]?.n,
  );

/** The partition holding the row of entry `id`. */
const partitionOf = async (id: string): Promise<string | undefined> =>
  (
    await rowsOf<{ p: string }>(`SELECT tableoid::regclass::text AS p FROM ?? WHERE id = ?`, [
      table,
      id,
    ])
  )[0]?.p;

const countRows = async (name: string): Promise<number> =>
  Number((await rowsOf<{ n: string }>('SELECT COUNT(*) AS n FROM ??', [name]))[0]?.n);

describeSuite('knex PostgreSQL partitioned by month: the partition lifecycle', postgres, () => {
  beforeEach(async () => {
    ({ knex, close } = await postgresPartitioned.open());
    table = randomTable();
    await createEventLogTable(knex, { tableName: table, partitionBy: 'month', monthsAhead: 1 });
    storage = knexStorage(knex, { tableName: table });
  });
  afterEach(() => close());

  it('creates the current month and the months ahead, plus a DEFAULT partition', async () => {
    expect(await partitionCount(table)).toBe(3);
    expect(await partitionCount(`${table}_changed_keys`)).toBe(3);
  });

  it('a write into a month without a partition is kept in DEFAULT, then moved into its own month', async () => {
    const service = new EventLogService(storage);
    const far = month(14, 3);
    const [stored] = await storage.insert([entry({ timestamp: far, eventId: 'e-far' })]);
    const id = stored?.id as string;
    expect(await partitionOf(id)).toBe(`${table}_default`);
    await service.log({
      template: 'changed',
      tool: 't',
      action: 'update',
      timestamp: far,
      changes: { oldValue: { a: 1 }, newValue: { a: 2 } },
    });
    expect(await ensurePartitions(knex, { tableName: table, monthsAhead: 1 })).toEqual([month(14)]);
    expect(await partitionOf(id)).toBe(
      `${table}_p${far.toISOString().slice(0, 7).replace('-', '')}`,
    );
    expect(await countRows(`${table}_default`)).toBe(0);
    expect(await countRows(`${table}_changed_keys_default`)).toBe(0);
    expect(await partitionCount(table)).toBe(4);
    // The moved entry still reads, filters by changed key, and keeps its eventId unique.
    expect(await storage.get(id)).toMatchObject({ id, eventId: 'e-far' });
    expect((await service.list({ changedKey: 'a' })).results).toHaveLength(1);
    await expect(storage.insert([entry({ eventId: 'e-far' })])).rejects.toSatisfy(
      isUniqueViolation,
    );
    // Idempotent: nothing more to create.
    expect(await ensurePartitions(knex, { tableName: table, monthsAhead: 1 })).toEqual([]);
  });

  it('purge drops the months below the cut and deletes rows only in the boundary month', async () => {
    // Two months back (DEFAULT until ensurePartitions moves them), last month, this month.
    const old = [month(-2, 5), month(-2, 20), month(-1, 3)];
    const boundary = [month(0, 1), month(0, 2)];
    const kept = [month(0, 3), month(0, 4)];
    const service = new EventLogService(storage);
    const logged = [];
    for (const [i, timestamp] of [...old, ...boundary, ...kept].entries()) {
      logged.push(
        await service.log({
          template: `m${i}`,
          tool: 't',
          action: 'update',
          timestamp,
          eventId: `e${i}`,
          changes: { oldValue: { k: i }, newValue: { k: i + 1 } },
        }),
      );
    }
    await ensurePartitions(knex, { tableName: table, monthsAhead: 1 });
    expect(await partitionCount(table)).toBe(5);
    expect(await partitionCount(`${table}_changed_keys`)).toBe(5);

    expect(await service.purge({ before: month(0, 3) })).toBe(old.length + boundary.length);

    expect(await partitionCount(table)).toBe(3);
    expect(await partitionCount(`${table}_changed_keys`)).toBe(3);
    expect(
      await countRows(`${table}_p${month(0).toISOString().slice(0, 7).replace('-', '')}`),
    ).toBe(kept.length);
    expect(await countRows(`${table}_event_ids`)).toBe(kept.length);
    expect(await countRows(`${table}_changed_keys`)).toBe(kept.length);
    const page = await service.list({ order: 'asc', limit: 1 });
    expect(page.results.map((e) => e.message)).toEqual(['m5']);
    const next = await service.list({ order: 'asc', limit: 1, cursor: page.nextCursor });
    expect(next.results.map((e) => e.message)).toEqual(['m6']);
    // A purged eventId is free again, as on a plain table; a kept one is still refused.
    await expect(storage.insert([entry({ eventId: 'e0' })])).resolves.toHaveLength(1);
    await expect(storage.insert([entry({ eventId: 'e6' })])).rejects.toSatisfy(isUniqueViolation);
  });

  it('with integrity on, the chain verifies across a cut that dropped whole months', async () => {
    const service = new EventLogService(storage, { integrity: {} });
    for (const timestamp of [month(-2, 5), month(-1, 5), month(-1, 6), month(0, 1), month(0, 2)]) {
      await service.log({ template: 'x', tool: 't', action: 'a', timestamp });
    }
    await ensurePartitions(knex, { tableName: table, monthsAhead: 1 });
    expect(await partitionCount(table)).toBe(5);
    expect(await service.purge({ before: month(0, 2) })).toBe(4);
    expect(await partitionCount(table)).toBe(3);
    // The kept entry and the record of the cut.
    expect(await service.verify()).toMatchObject({ ok: true, checked: 2 });
  });

  it('purge counts a row written into a month it drops while it waited for that write', async () => {
    const service = new EventLogService(storage);
    await service.log({ template: 'a', tool: 't', action: 'a', timestamp: month(-2, 5) });
    await ensurePartitions(knex, { tableName: table, monthsAhead: 1 });
    const writer = await knex.transaction();
    try {
      await storage.insert([entry({ timestamp: month(-2, 6) })], { transaction: writer });
      const purged = service.purge({ before: month(-1) });
      // Once the purge waits for the writer's lock, the writer commits.
      while (
        (
          await rowsOf(
            "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?",
            [`%${table}_p%`],
          )
        ).length === 0
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await writer.commit();
      expect(await purged).toBe(2);
    } finally {
      if (!writer.isCompleted()) await writer.rollback();
    }
    expect(await partitionCount(table)).toBe(3);
  });

  it('a tool filter drops only months holding nothing else', async () => {
    const service = new EventLogService(storage);
    await service.log({ template: 'a', tool: 'gone', action: 'a', timestamp: month(-2, 5) });
    await service.log({ template: 'b', tool: 'gone', action: 'a', timestamp: month(-1, 5) });
    await service.log({ template: 'c', tool: 'stays', action: 'a', timestamp: month(-1, 6) });
    await ensurePartitions(knex, { tableName: table, monthsAhead: 1 });
    expect(await service.purge({ before: month(0), tool: 'gone' })).toBe(2);
    expect(await partitionCount(table)).toBe(4);
    expect((await service.list()).results.map((e) => e.message)).toEqual(['c']);
  });
});

for (const backend of [postgres, postgresPartitioned]) {
  describeSuite(`knex ${backend.name}: one eventId across months`, backend, () => {
    beforeEach(async () => {
      ({ knex, close } = await backend.open());
      table = randomTable();
      await createEventLogTable(knex, { tableName: table, ...backend.tableOptions });
      storage = knexStorage(knex, { tableName: table });
    });
    afterEach(() => close());

    it('a duplicate eventId in another month is refused by insert() and deduplicated by log()', async () => {
      await storage.insert([entry({ eventId: 'same', timestamp: month(0, 2) })]);
      await expect(
        storage.insert([entry({ eventId: 'same', timestamp: month(1, 2) })]),
      ).rejects.toSatisfy(isUniqueViolation);
      const service = new EventLogService(storage);
      const input = {
        template: 'm',
        tool: 't',
        action: 'a',
        eventId: 'log',
        timestamp: month(-5, 1),
      };
      const first = await service.log(input);
      expect(await service.log(input)).toEqual(first);
      await expect(service.log({ ...input, timestamp: month(1, 1) })).rejects.toThrow(
        ConflictError,
      );
      expect((await service.list()).results).toHaveLength(2);
    });
  });
}

describeSuite('knex partitionBy refusals', postgres, () => {
  afterEach(() => close());

  it('refuses partitionBy off PostgreSQL, a plain table of the name, and an unknown unit', async () => {
    ({ knex, close } = await sqliteFile.open());
    await expect(createEventLogTable(knex, { partitionBy: 'month' })).rejects.toThrow(
      ConfigurationError,
    );
    await close();
    ({ knex, close } = await postgres.open());
    table = randomTable();
    await createEventLogTable(knex, { tableName: table });
    await expect(
      createEventLogTable(knex, { tableName: table, partitionBy: 'month' }),
    ).rejects.toThrow(/not partitioned/);
    await expect(
      createEventLogTable(knex, { tableName: table, partitionBy: 'week' as 'month' }),
    ).rejects.toThrow(ConfigurationError);
    await expect(ensurePartitions(knex, { tableName: table })).rejects.toThrow(/not partitioned/);
  });
});
