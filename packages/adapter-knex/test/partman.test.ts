import { describeSuite } from '@eventlog/conformance';
import { EventLogService } from '@eventlog/core';
import { postgresUrl } from '@eventlog/test-servers/postgres';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEventLogTable, ensurePartitions, knexStorage } from '../src/index';
import { postgres, randomTable } from './support';

/** The first instant of the UTC month `n` months after the current one. */
const month = (n: number, day = 1): Date => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + n, day));
};

/** pg_partman's name for the monthly partition of `parent` holding `date`. */
const partmanName = (parent: string, date: Date) =>
  `${parent}_p${date.toISOString().slice(0, 7).replace('-', '_')}`;

/** Why these tests cannot run here: no PostgreSQL, or no pg_partman on it. */
async function partmanUnavailable(): Promise<string | undefined> {
  if (postgres.unavailable !== undefined) return postgres.unavailable;
  const { knex, close } = await postgres.open();
  try {
    const { rows } = (await knex.raw(
      "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_partman'",
    )) as { rows: unknown[] };
    return rows.length > 0
      ? undefined
      : 'the pg_partman extension is not installed next to this PostgreSQL server (Debian: apt-get install postgresql-15-partman)';
  } finally {
    await close();
  }
}

const partman = { name: 'PostgreSQL with pg_partman', unavailable: await partmanUnavailable() };

let admin: Knex;
let knex: Knex;
const database = `eventlog_partman_${Math.random().toString(36).slice(2, 10)}`;

const rowsOf = async <T>(sql: string, bindings: Knex.RawBinding[] = []): Promise<T[]> =>
  ((await knex.raw(sql, bindings)) as { rows: T[] }).rows;

/** The partitions of `parent`, by name, from the catalog. */
const partitionsOf = async (parent: string): Promise<string[]> =>
  (
    await rowsOf<{ name: string }>(
      'SELECT inhrelid::regclass::text AS name FROM pg_inherits WHERE inhparent = to_regclass(?) ORDER BY 1',
      [parent],
    )
  ).map((r) => r.name);

/** The partition holding the row of entry `id`. */
const partitionOf = async (table: string, id: string): Promise<string | undefined> =>
  (
    await rowsOf<{ p: string }>('SELECT tableoid::regclass::text AS p FROM ?? WHERE id = ?', [
      table,
      id,
    ])
  )[0]?.p;

/**
 * The registration docs/scaling.md gives: the adapter's layout, its (empty) partitions dropped,
 * then both parents handed to pg_partman with the same monthly interval.
 */
async function registerWithPartman(table: string): Promise<void> {
  await createEventLogTable(knex, { tableName: table, partitionBy: 'month', monthsAhead: 0 });
  for (const parent of [table, `${table}_changed_keys`]) {
    for (const part of await partitionsOf(parent)) await knex.raw(`DROP TABLE ${part}`);
  }
  for (const [parent, control] of [
    [table, 'timestamp'],
    [`${table}_changed_keys`, 'entry_ts'],
  ] as const) {
    await knex.raw(
      "SELECT partman.create_parent(p_parent_table := ?, p_control := ?, p_type := 'native', p_interval := '1 month', p_premake := 3)",
      [`public.${parent}`, control],
    );
  }
}

describeSuite('knex PostgreSQL partitioned by pg_partman', partman, () => {
  beforeAll(async () => {
    const { knex: server } = await postgres.open();
    admin = server;
    await admin.raw('CREATE DATABASE ??', [database]);
    // pg_partman cuts months in the session's time zone; the adapter's months are UTC months.
    await admin.raw(`ALTER DATABASE ?? SET timezone TO 'UTC'`, [database]);
    const url = new URL(postgresUrl());
    url.pathname = `/${database}`;
    knex = knexFactory({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 4 } });
    await knex.raw('CREATE SCHEMA partman');
    await knex.raw('CREATE EXTENSION pg_partman SCHEMA partman');
  });
  afterAll(async () => {
    await knex?.destroy();
    await admin?.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [database]);
    await admin?.destroy();
  });

  it('pg_partman makes the months of both parents; log, list, purge and verify work on them', async () => {
    const table = randomTable();
    await registerWithPartman(table);
    // Three months back and three ahead of the current one, and the DEFAULT, on both parents.
    const months = [-3, -2, -1, 0, 1, 2, 3].map((n) => month(n));
    for (const parent of [table, `${table}_changed_keys`]) {
      expect(await partitionsOf(parent)).toEqual(
        [...months.map((m) => partmanName(parent, m)), `${parent}_default`].sort(),
      );
    }
    // Every month pg_partman made is one the adapter would make: nothing left to create.
    expect(await ensurePartitions(knex, { tableName: table, monthsAhead: 3 })).toEqual([]);

    const service = new EventLogService(knexStorage(knex, { tableName: table }), { integrity: {} });
    const logged = [];
    for (const [i, timestamp] of [
      month(-3, 5),
      month(-2, 5),
      month(-1, 5),
      month(0, 1),
    ].entries()) {
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
    for (const entry of logged) {
      expect(await partitionOf(table, entry.id)).toBe(partmanName(table, entry.timestamp));
    }
    // The event-ids triggers reached pg_partman's partitions: a retried log() writes once.
    expect(
      await service.log({
        template: 'm0',
        tool: 't',
        action: 'update',
        timestamp: month(-3, 5),
        eventId: 'e0',
        changes: { oldValue: { k: 0 }, newValue: { k: 1 } },
      }),
    ).toEqual(logged[0]);

    const page = await service.list({ order: 'asc', limit: 2 });
    expect(page.results.map((e) => e.message)).toEqual(['m0', 'm1']);
    const next = await service.list({ order: 'asc', limit: 2, cursor: page.nextCursor });
    expect(next.results.map((e) => e.message)).toEqual(['m2', 'm3']);
    expect((await service.list({ changedKey: 'k', order: 'asc' })).results).toHaveLength(4);

    expect(await service.purge({ before: month(-1) })).toBe(2);
    for (const parent of [table, `${table}_changed_keys`]) {
      expect(await partitionsOf(parent)).toEqual(
        [...months.slice(2).map((m) => partmanName(parent, m)), `${parent}_default`].sort(),
      );
    }
    expect((await service.list({ order: 'asc' })).results.map((e) => e.message)).toEqual([
      'm2',
      'm3',
      // The record of the cut.
      expect.any(String),
    ]);
    expect(await service.verify()).toMatchObject({ ok: true, checked: 3 });
    // A purged eventId is free again.
    const again = await service.log({ template: 'again', tool: 't', action: 'a', eventId: 'e0' });
    expect(again.id).not.toBe(logged[0]?.id);

    // pg_partman's own maintenance keeps working on the purged set and brings no month back.
    await knex.raw('SELECT partman.run_maintenance()');
    expect(await partitionsOf(table)).not.toContain(partmanName(table, month(-2)));
    expect(await service.verify()).toMatchObject({ ok: true });
  });

  it('without integrity, purge drops pg_partman months whole and counts their rows', async () => {
    const table = randomTable();
    await registerWithPartman(table);
    const service = new EventLogService(knexStorage(knex, { tableName: table }));
    for (const timestamp of [month(-3, 2), month(-3, 9), month(-2, 2), month(0, 1)]) {
      await service.log({ template: 'x', tool: 't', action: 'a', timestamp });
    }
    const fileOf = async () =>
      (
        await rowsOf<{ f: string }>('SELECT pg_relation_filenode(?) AS f', [
          partmanName(table, month(0)),
        ])
      )[0]?.f;
    const kept = await fileOf();
    expect(await service.purge({ before: month(-1) })).toBe(3);
    expect(await partitionsOf(table)).not.toContain(partmanName(table, month(-3)));
    expect(await partitionsOf(`${table}_changed_keys`)).not.toContain(
      partmanName(`${table}_changed_keys`, month(-2)),
    );
    // The kept month was not rewritten.
    expect(await fileOf()).toBe(kept);
    expect((await service.list()).results).toHaveLength(1);
  });
});
