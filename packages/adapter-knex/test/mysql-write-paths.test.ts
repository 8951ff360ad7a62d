import { createRequire } from 'node:module';
import { describeSuite } from '@eventlog/conformance';
import { EventLogService, StorageError } from '@eventlog/core';
import knexFactory, { type Knex } from 'knex';
import { afterEach, expect, it } from 'vitest';
import {
  chainHeadsTableName,
  createEventLogTable,
  eventLogLongTextMigration,
  knexStorage,
} from '../src/index';
import { mariadb, randomTable } from './support';

// What MySQL/MariaDB servers do differently from SQLite and PostgreSQL on the insert path: their
// settings (auto_increment_increment, max_allowed_packet), BIGINT ids past 2^53, `text` limits.

type Conn = { query(sql: string, cb: (error: unknown) => void): void };

/**
 * knex's mysql2 client under another driver name: the adapter then takes its generic MySQL insert
 * path, the one MySQL (no `INSERT ... RETURNING`) runs, against this MariaDB.
 */
function clientWithoutReturning(): typeof Knex.Client {
  const Mysql2 = createRequire(import.meta.url)('knex/lib/dialects/mysql2') as typeof Knex.Client;
  class WithoutReturning extends Mysql2 {}
  Object.assign(WithoutReturning.prototype, { driverName: 'mysql2 (as MySQL)' });
  return WithoutReturning;
}

describeSuite('knex on MariaDB: write paths', mariadb, () => {
  const opened: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of opened.splice(0)) await close();
  });

  /** A fresh table, on a pool whose every connection first runs `session` (SET statements). */
  async function open(session: string[] = [], client?: typeof Knex.Client) {
    const { knex: base, close } = await mariadb.open();
    const afterCreate = (conn: Conn, done: (error: unknown, conn: Conn) => void) => {
      const next = (error: unknown, i: number) => {
        if (error || i === session.length) done(error, conn);
        else conn.query(session[i] as string, (e) => next(e, i + 1));
      };
      next(null, 0);
    };
    const knex = knexFactory({
      ...(base.client.config as Knex.Config),
      pool: { min: 0, max: 4, afterCreate },
      ...(client ? { client } : {}),
    });
    const table = randomTable();
    await createEventLogTable(knex, { tableName: table });
    opened.push(async () => {
      await knex.schema.dropTableIfExists(chainHeadsTableName(table));
      await knex.schema.dropTableIfExists(table);
      await knex.destroy();
      await close();
    });
    const storage = knexStorage(knex, { tableName: table });
    return { knex, table, service: new EventLogService(storage) };
  }

  const input = (template: string, tool = 't') => ({ template, tool, action: 'create' });

  it.each([
    ['INSERT ... RETURNING (MariaDB 10.5+)', undefined],
    ['MySQL without RETURNING', clientWithoutReturning()],
  ])(
    'logMany returns every entry under its own id when auto_increment_increment is 2: %s',
    async (_, client) => {
      const { service } = await open(['SET SESSION auto_increment_increment = 2'], client);
      const batches = await Promise.all(
        Array.from({ length: 8 }, (_, b) =>
          service.logMany(Array.from({ length: 80 }, (_, i) => input(`b${b} n${i}`))),
        ),
      );
      const entries = batches.flat();
      expect(entries).toHaveLength(640);
      expect(new Set(entries.map((e) => e.id)).size).toBe(640);
      for (const entry of entries) expect(await service.get(entry.id)).toEqual(entry);
    },
  );

  it.each([
    ['mysql2', undefined],
    ['MySQL without RETURNING', clientWithoutReturning()],
  ])(
    'ids above 2^53 stay exact through log(), logMany(), get() and cursor paging: %s',
    async (_, client) => {
      const { knex, table, service } = await open([], client);
      await knex.raw('ALTER TABLE ?? AUTO_INCREMENT = 9007199254740993', [table]);
      const first = await service.log(input('one'));
      const rest = await service.logMany([input('two'), input('three')]);
      const ids = ['9007199254740993', '9007199254740994', '9007199254740995'];
      expect([first, ...rest].map((e) => e.id)).toEqual(ids);
      expect((await service.get(ids[1] as string))?.message).toBe('two');
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 5; i++) {
        const page = await service.list({ tool: 't', limit: 1, cursor });
        seen.push(...page.results.map((e) => e.id));
        cursor = page.nextCursor;
        if (cursor === null) break;
      }
      expect(seen).toEqual([...ids].reverse());
    },
  );

  it('payloads over max_allowed_packet together are stored, and the pool stays sound', async () => {
    const { knex, service } = await open();
    const [[limit]] = (await knex.raw('SELECT @@max_allowed_packet AS n')) as [{ n: number }[]];
    // Five payloads just under the 4 MiB limit: 20 MiB in one statement.
    const big = { v: 'x'.repeat(4 * 1024 * 1024 - 16) };
    const names = ['a', 'b', 'c', 'd', 'e'];
    expect(names.length * JSON.stringify(big).length).toBeGreaterThan(Number(limit?.n));
    const stored = await service.logMany(
      names.map((name) => ({ ...input(name, 'big'), metadata: big })),
    );
    expect((await service.get(stored[4]?.id as string))?.metadata).toEqual(big);
    expect((await service.list({ tool: 'big', withCount: true })).count).toBe(names.length);
    const after = await Promise.all([1, 2, 3, 4].map((n) => service.log(input(`after ${n}`))));
    for (const entry of after) expect(await service.get(entry.id)).toEqual(entry);
  });

  it('an entry larger than max_allowed_packet once escaped is refused before it is sent', async () => {
    const { service } = await open();
    // JSON just under the 4 MiB payload limit, twice that as SQL text: each backslash doubles.
    const backslashes = (under: number) => ({ v: '\\'.repeat(2 * 1024 * 1024 - under) });
    const changes = { oldValue: {}, newValue: backslashes(64) };
    const error = await service
      .log({ ...input('too big', 'big'), metadata: backslashes(8), changes })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toMatch(/max_allowed_packet/);
    expect((await service.list({ tool: 'big', withCount: true })).count).toBe(0);
    const after = await service.log(input('after'));
    expect(await service.get(after.id)).toEqual(after);
  });

  it.each([
    [
      'createEventLogTable',
      (knex: Knex, tableName: string) => createEventLogTable(knex, { tableName }),
    ],
    [
      'eventLogLongTextMigration',
      (knex: Knex, tableName: string) => eventLogLongTextMigration({ tableName }).up(knex),
    ],
  ])(
    'a table created with text columns is widened to longtext by %s and keeps its rows',
    async (_, upgrade) => {
      const { knex, table, service } = await open();
      const kept = await service.log(input('written before the upgrade'));
      // What earlier versions created: MySQL's `text`, 65,535 bytes.
      await knex.raw('ALTER TABLE ?? MODIFY `message` text NOT NULL, MODIFY `template` text', [
        table,
      ]);
      const long = 'é'.repeat(40_000);
      await expect(service.log({ ...input('{v}'), values: { v: long } })).rejects.toBeInstanceOf(
        StorageError,
      );
      await upgrade(knex, table);
      const entry = await service.log({ ...input('{v}'), values: { v: long } });
      expect((await service.get(entry.id))?.message).toBe(long);
      expect(await service.get(kept.id)).toEqual(kept);
    },
  );
});
