/**
 * Retention on PostgreSQL: `purge()` of the oldest month on a table partitioned by month
 * (`createEventLogTable(db, { partitionBy: 'month' })`) against the same purge of the same rows on
 * a plain table, in one run on one throwaway cluster; then the first ascending page (the one dead
 * rows slow down) against the same page before the purge. ROWS (env PARTITION_BENCH_ROWS,
 * default 5,000,000) spread evenly over 5 months.
 */

import { cpus, loadavg } from 'node:os';
import { createEventLogTable, ensurePartitions, knexStorage } from '@eventlog/adapter-knex';
import { EventLogService } from '@eventlog/core';
import { startPostgres } from '@eventlog/test-servers/postgres';
import knexFactory, { type Knex } from 'knex';
import { ACTORS, OBJECTS, TOOLS } from '../knex/load';
import { median, time } from '../knex/measure';

const ROWS = Number(process.env.PARTITION_BENCH_ROWS ?? 5_000_000);
const MONTHS = 5;
const PER_MONTH = Math.floor(ROWS / MONTHS);
const FIRST = new Date(Date.UTC(2026, 0, 1));
const month = (n: number, day = 1) => new Date(Date.UTC(2026, n, day));

/** Seconds between two rows of a month: a month's rows fill its first 24 days. */
const SPACING = (24 * 86_400) / PER_MONTH;

/** PER_MONTH rows in each of MONTHS months from FIRST, in one INSERT ... SELECT over generate_series. */
const load = (first: number, count: number) => `
INSERT INTO ?? ("timestamp", actor_id, actor_label, message, template, "values", tool, action,
                object_type, object_id, changes, metadata, event_id)
SELECT (timestamptz '${FIRST.toISOString()}' AT TIME ZONE 'UTC' + ((g / ${PER_MONTH}) * interval '1 month')
         + (g % ${PER_MONTH}) * ${SPACING} * interval '1 second') AT TIME ZONE 'UTC',
       'user_' || (g % ${ACTORS}), 'User ' || (g % ${ACTORS}),
       'Item ' || (g % ${OBJECTS}) || ' was updated', 'Item {item__name} was updated',
       jsonb_build_object('item__name', 'Item ' || (g % ${OBJECTS})),
       'tool_' || floor(${TOOLS} * power(random(), 2))::int,
       (ARRAY['create','update','delete'])[1 + g % 3],
       'Item', (g % ${OBJECTS})::text,
       '{"oldValue":{"name":"a"},"newValue":{"name":"b"}}'::jsonb, '{"ip":"127.0.0.1"}'::jsonb, NULL
FROM generate_series(${first}, ${first + count - 1}) AS g`;

interface Layout {
  name: string;
  table: string;
  service: EventLogService<Knex.Transaction>;
  loadMs: number;
  before?: number;
  purgeMs?: number;
  purged?: number;
  after?: number;
  firstAfter?: number;
  rewritten?: boolean;
  halfMs?: number;
  halfPurged?: number;
  /** Partitioned only: from the purge's start until another session saw the month gone. */
  goneMs?: number;
}

/** The floor under a month's purge, on another month of the same size: its count, then its drop. */
interface Floor {
  countMs: number;
  /** The two `DROP TABLE` statements. */
  dropMs: number;
  /** Their COMMIT, which removes the month's files once the locks are released. */
  commitMs: number;
  /** The month's files on disk (both partitions and their indexes). */
  bytes: number;
}

/**
 * `COUNT(*)` of month `n`'s partition, then `DROP TABLE` of it and of its changed-keys partition,
 * then the COMMIT: what any exact purge of that month must spend.
 */
async function floorOf(knex: Knex, table: string, n: number): Promise<Floor> {
  const tag = monthTag(n);
  const part = `${table}${tag}`;
  const parts = [part, `${table}_changed_keys${tag}`];
  const { rows } = (await knex.raw(
    'SELECT pg_total_relation_size(?::regclass) + pg_total_relation_size(?::regclass) AS bytes',
    parts,
  )) as { rows: { bytes: string }[] };
  const countMs = await time(() => knex.raw('SELECT COUNT(*) FROM ??', [part]));
  const trx = await knex.transaction();
  const dropMs = await time(async () => {
    for (const name of parts) await trx.raw('DROP TABLE ??', [name]);
  });
  const commitMs = await time(() => trx.commit());
  return { countMs, dropMs, commitMs, bytes: Number(rows[0]?.bytes) };
}

/** Detaching a month instead of dropping it, on another month of the same size. */
interface Detach {
  /** The two `ALTER TABLE ... DETACH PARTITION` statements. */
  detachMs: number;
  /** Their COMMIT: no file is removed, the month stays as two plain tables. */
  commitMs: number;
  /** Dropping the two detached tables later (statements and COMMIT): the deferred cost. */
  dropLaterMs: number;
}

/**
 * Month \`n\`'s partition and its changed-keys partition detached from their parents in one
 * transaction (what pg_partman's \`retention_keep_table\` does), then, in another, the two plain
 * tables left dropped, as an archive job would once it has copied them.
 */
async function detachOf(knex: Knex, table: string, n: number): Promise<Detach> {
  const tag = monthTag(n);
  const pairs: [string, string][] = [
    [table, `${table}${tag}`],
    [`${table}_changed_keys`, `${table}_changed_keys${tag}`],
  ];
  const trx = await knex.transaction();
  const detachMs = await time(async () => {
    for (const [parent, part] of pairs) {
      await trx.raw('ALTER TABLE ?? DETACH PARTITION ??', [parent, part]);
    }
  });
  const commitMs = await time(() => trx.commit());
  const dropLaterMs = await time(() =>
    knex.transaction(async (t) => {
      for (const [, part] of pairs) await t.raw('DROP TABLE ??', [part]);
    }),
  );
  return { detachMs, commitMs, dropLaterMs };
}

/**
 * Polls, on a connection of its own, until the partition `name` is gone from the catalog: the
 * moment the purge committed and every other session sees the month gone (and the log unlocked).
 * PostgreSQL removes a dropped table's files after that, before the purging session's COMMIT
 * returns. Resolves to the ms from `since`.
 */
function whenGone(url: string, name: string, since: number): Promise<number> {
  const watcher = knexFactory({ client: 'pg', connection: url, pool: { min: 1, max: 1 } });
  const poll = async (): Promise<number> => {
    for (;;) {
      const { rows } = (await watcher.raw('SELECT to_regclass(?) IS NULL AS gone', [name])) as {
        rows: { gone: boolean }[];
      };
      if (rows[0]?.gone) return performance.now() - since;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  return poll().finally(() => watcher.destroy());
}

/** The suffix of month `n`'s partition name. */
const monthTag = (n: number) => `_p${month(n).toISOString().slice(0, 7).replace('-', '')}`;

const firstPage = (layout: Layout) => () =>
  layout.service.list({ order: 'asc', limit: 50 }).then((page) => {
    if (page.results.length !== 50) throw new Error(`${layout.name}: page 1 is short`);
  });

/** Every relation's file of `table` and its partitions: a rewrite gives a relation a new one. */
async function files(knex: Knex, table: string): Promise<Map<string, number>> {
  const { rows } = (await knex.raw(
    `SELECT c.relname AS name, c.relfilenode AS file FROM pg_class c
     WHERE c.oid = to_regclass(?) OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = to_regclass(?))`,
    [table, table],
  )) as { rows: { name: string; file: number }[] };
  return new Map(rows.map((r) => [r.name, Number(r.file)]));
}

async function prepare(knex: Knex, name: string, partitioned: boolean): Promise<Layout> {
  const table = partitioned ? 'bench_partitioned' : 'bench_plain';
  const t0 = performance.now();
  if (partitioned) {
    await createEventLogTable(knex, { tableName: table, partitionBy: 'month', monthsAhead: 0 });
    await ensurePartitions(knex, { tableName: table, now: FIRST, monthsAhead: MONTHS - 1 });
  } else {
    await createEventLogTable(knex, { tableName: table });
  }
  // The secondary indexes are built once the rows are in (the same definitions, read back from
  // the catalog): far faster than growing them row by row, and the same on both layouts.
  const { rows: indexes } = (await knex.raw(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes i
     WHERE i.tablename = ? AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [table],
  )) as { rows: { name: string; def: string }[] };
  for (const index of indexes) await knex.raw('DROP INDEX ??', [index.name]);
  for (let i = 0; i < PER_MONTH * MONTHS; i += 500_000) {
    await knex.raw(load(i, Math.min(500_000, PER_MONTH * MONTHS - i)), [table]);
  }
  for (const index of indexes) await knex.raw(index.def.replace(' ON ONLY ', ' ON '));
  await knex.raw('VACUUM ANALYZE ??', [table]);
  const service = new EventLogService(knexStorage(knex, { tableName: table }));
  return { name, table, service, loadMs: performance.now() - t0 };
}

export async function run(): Promise<string> {
  const started = performance.now();
  const server = await startPostgres().catch((e: Error) => {
    console.log(`partitions bench: PostgreSQL unavailable: ${e.message.split('\n')[0]}`);
    return undefined;
  });
  if (!server) return '## Partitions (PostgreSQL)\n\nSkipped: PostgreSQL could not be started.';
  const knex = knexFactory({ client: 'pg', connection: server.url, pool: { min: 1, max: 2 } });
  try {
    const version = (
      (await knex.raw('SHOW server_version')) as { rows: { server_version: string }[] }
    ).rows[0]?.server_version;
    console.log(`partitions bench: loading ${ROWS.toLocaleString('en')} rows twice`);
    const layouts = [
      await prepare(knex, 'partitioned by month', true),
      await prepare(knex, 'plain table', false),
    ];
    for (const layout of layouts) layout.before = await median(firstPage(layout), 30);
    for (const layout of layouts) {
      console.log(`partitions bench: purge of the oldest month, ${layout.name}`);
      const filesBefore = await files(knex, layout.table);
      const since = performance.now();
      const gone =
        layout.table === 'bench_partitioned'
          ? whenGone(server.url, `${layout.table}${monthTag(0)}`, since)
          : undefined;
      layout.purged = await layout.service.purge({ before: month(1) });
      layout.purgeMs = performance.now() - since;
      layout.goneMs = await gone;
      const filesAfter = await files(knex, layout.table);
      layout.rewritten = [...filesAfter].some(([n, f]) => filesBefore.get(n) !== f);
      // The first page after the purge, before anything has cleaned up after it, then settled.
      layout.firstAfter = await time(firstPage(layout));
      layout.after = await median(firstPage(layout), 30);
    }
    for (const layout of layouts) {
      // Half of the next month: the boundary month's rows go one by one on both layouts.
      layout.halfMs = await time(async () => {
        layout.halfPurged = await layout.service.purge({ before: month(1, 13) });
      });
    }
    const [part, plain] = layouts as [Layout, Layout];
    const floor = await floorOf(knex, part.table, 2);
    const detach = await detachOf(knex, part.table, 3);
    const fmt = (ms = 0) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
    const line = (l: Layout) =>
      `| ${l.name} | ${(l.purged ?? 0).toLocaleString('en')} | ${fmt(l.purgeMs)} | ${l.rewritten ? 'yes' : 'no'} | ${fmt(l.before)} | ${fmt(l.firstAfter)} (${((l.firstAfter ?? 0) / (l.before ?? 1)).toFixed(2)}×) | ${fmt(l.after)} (${((l.after ?? 0) / (l.before ?? 1)).toFixed(2)}×) | ${(l.halfPurged ?? 0).toLocaleString('en')} in ${fmt(l.halfMs)} |`;
    return [
      '## Partitions (PostgreSQL)',
      '',
      `Command: \`PARTITION_BENCH_ROWS=${ROWS} npm run bench -- partitions\` · ${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'} (shared with other work) · PostgreSQL ${version} (throwaway local cluster: fsync=off, synchronous_commit=off) · whole suite ${((performance.now() - started) / 1000).toFixed(0)} s.`,
      '',
      `${ROWS.toLocaleString('en')} rows, ${PER_MONTH.toLocaleString('en')} in each of ${MONTHS} months, bulk-loaded with generate_series into each layout (partitioned ${fmt(part.loadMs)}, plain ${fmt(plain.loadMs)}, VACUUM ANALYZE included). \`purge({ before })\` through \`EventLogService\` (integrity off) at the first month's end, then page 1 ascending (50 entries): its first call right after the purge and the median of 30 calls after it, each against the median of 30 before the purge; then a purge to the middle of the next month. "Rewritten": a relation of the table (the table or a partition) got a new file.`,
      '',
      '| layout | entries purged (one month) | purge | rewritten | page 1 asc before (median) | first page 1 asc after (/ before) | page 1 asc after, median (/ before) | then half a month |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      line(part),
      line(plain),
      '',
      `Purge of the month: partitioned ${fmt(part.purgeMs)} vs plain ${fmt(plain.purgeMs)} (${((plain.purgeMs ?? 0) / (part.purgeMs ?? 1)).toFixed(0)}× faster).`,
      '',
      `Another session saw the month gone (the purge committed, the log unlocked) ${fmt(part.goneMs)} after the partitioned purge began; the rest of its ${fmt(part.purgeMs)} is PostgreSQL removing the month's files after releasing the locks, before COMMIT returns.`,
      '',
      `What the partitioned purge cannot avoid, measured on the third month (same size) by hand: \`COUNT(*)\` ${fmt(floor.countMs)}, \`DROP TABLE\` of it and its changed-keys partition ${fmt(floor.dropMs)}, COMMIT (removes ${(floor.bytes / 2 ** 20).toFixed(0)} MiB of files) ${fmt(floor.commitMs)}; together ${fmt(floor.countMs + floor.dropMs + floor.commitMs)}, so the purge took ${((part.purgeMs ?? 0) / (floor.countMs + floor.dropMs + floor.commitMs)).toFixed(2)}× that floor.`,
      '',
      `Detaching instead of dropping, on the fourth month (same size): \`DETACH PARTITION\` of it and its changed-keys partition ${fmt(detach.detachMs)}, COMMIT ${fmt(detach.commitMs)} (${(detach.commitMs / floor.commitMs).toFixed(2)}× the drop's COMMIT); the count and the drop as above but detaching would take ${fmt(floor.countMs + detach.detachMs + detach.commitMs)} (${((floor.countMs + detach.detachMs + detach.commitMs) / (floor.countMs + floor.dropMs + floor.commitMs)).toFixed(2)}× the drop's floor). Dropping the two detached tables later, in a transaction of their own: ${fmt(detach.dropLaterMs)}.`,
      '',
      `Load average at the end (1 / 5 / 15 min): ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' / ')}.`,
    ].join('\n');
  } finally {
    await knex.destroy();
    await server.stop();
  }
}
