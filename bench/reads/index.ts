/**
 * `npm run bench -- reads`: `list()` through `EventLogService` against the very query it runs,
 * sent by hand through the same driver in the same process, on every storage adapter: knex and
 * Sequelize on a SQLite file and on PostgreSQL, Mongoose on jongodb.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEventLogTable, knexStorage } from '@eventlog/adapter-knex';
import { mongooseStorage } from '@eventlog/adapter-mongoose';
import {
  createEventLogTable as createSequelizeTable,
  sequelizeStorage,
} from '@eventlog/adapter-sequelize';
import { type EventLogQuery, EventLogService, type LogInput } from '@eventlog/core';
import { eventLogQuerySchema } from '@eventlog/core/storage';
import {
  chainHeadsTableName,
  changedKeysTableName,
  dollarNumber,
  type LogStatements,
  logStatements,
  questionMark,
  sqlDialect,
} from '@eventlog/sql';
import { startMongo } from '@eventlog/test-servers/mongodb';
import { startPostgres } from '@eventlog/test-servers/postgres';
import knexFactory, { type Knex } from 'knex';
import mongoose from 'mongoose';
import { QueryTypes, Sequelize } from 'sequelize';
import { blockRatio, type Interleaved, interleave, medianOf, ms, ratio } from '../knex/measure';

// BENCH_READS_QUICK=1: a smoke run (the numbers are not the results).
const QUICK = process.env.BENCH_READS_QUICK === '1';
const ROWS = QUICK ? 2_000 : 10_000;
/** Calls per side, per query and page size, after a quarter as many untimed. */
const ROUNDS = QUICK ? 40 : 240;
/** Calls per block of the interleaved comparison: each block pair gives one ratio. */
const BLOCK = 5;
/**
 * On jongodb, which takes far longer per query and swings from one call to the next: fewer
 * calls, each its own block, so the median is still taken over many paired ratios.
 */
const MONGO_ROUNDS = QUICK ? 10 : 40;
const MONGO_BLOCK = 1;
const PAGES = [50, 500] as const;
const QUERIES: readonly [string, EventLogQuery][] = [
  ['no filter', {}],
  ['by tool', { tool: 'tool_3' }],
];

/** BENCH_READS_ONLY=<text>: only the targets whose name contains it (profiling one adapter). */
const wanted = (name: string) =>
  (process.env.BENCH_READS_ONLY ?? '').split('|').some((part) => name.includes(part));

/** One adapter on one database: a service and, for a query, the same query sent by hand. */
interface Target {
  name: string;
  service: EventLogService<unknown>;
  /** The query `list(query)` runs, through the driver `list()` uses, rows left as it returns them. */
  hand(query: EventLogQuery): () => Promise<unknown>;
  /** Calls per side for each query and page size (a server slow to answer gets fewer). */
  rounds: number;
  /** Calls per block of the interleaved comparison. */
  block: number;
  /** What the hand-written side sends, for the report. */
  baseline: string;
  close(): Promise<void>;
}

const input = (i: number): LogInput => ({
  template: 'Item {item__name} was updated by {user__name}',
  values: { item__name: { name: `Item ${i % 1000}` }, user__name: { name: `User ${i % 100}` } },
  object: { type: 'Item', id: i % 1000 },
  actor: { id: `user_${i % 100}`, label: `User ${i % 100}` },
  tool: `tool_${i % 10}`,
  action: 'update',
  changes: {
    oldValue: { name: `Item ${i}`, qty: i % 7 },
    newValue: { name: `Item ${i + 1}`, qty: 3 },
  },
  metadata: { ip: '127.0.0.1', requestId: `req-${i}` },
  timestamp: new Date(Date.UTC(2025, 0, 1) + i * 1000),
});

async function fill(service: EventLogService<unknown>): Promise<void> {
  for (let i = 0; i < ROWS; i += 1000) {
    await service.logMany(Array.from({ length: Math.min(1000, ROWS - i) }, (_, k) => input(i + k)));
  }
}

const pageOf = (statements: LogStatements, query: EventLogQuery) =>
  statements.page(eventLogQuerySchema.parse(query));

async function knexTarget(name: string, knex: Knex): Promise<Target> {
  const table = 'bench_reads';
  await knex.schema.dropTableIfExists(table);
  await createEventLogTable(knex, { tableName: table });
  const service = new EventLogService(knexStorage(knex, { tableName: table }));
  await fill(service as EventLogService<unknown>);
  const quoted = (t: string) => knex.raw('??', [t]).toQuery();
  const statements = logStatements({
    dialect: sqlDialect(knex.client.dialect, 'bench'),
    table: quoted(table),
    heads: quoted(chainHeadsTableName(table)),
    changedKeys: quoted(changedKeysTableName(table)),
    placeholder: questionMark,
  });
  return {
    name: `knex, ${name}`,
    service: service as EventLogService<unknown>,
    hand(query) {
      const { sql, bindings } = pageOf(statements, query);
      return () => knex.raw(sql, bindings as Knex.RawBinding[]);
    },
    rounds: ROUNDS,
    block: BLOCK,
    baseline: '`knex.raw(sql, bindings)`',
    close: async () => {
      await knex.schema.dropTableIfExists(table);
      await knex.destroy();
    },
  };
}

async function sequelizeTarget(name: string, sequelize: Sequelize): Promise<Target> {
  const tableName = 'bench_reads';
  await sequelize.getQueryInterface().dropTable(tableName);
  await createSequelizeTable(sequelize, { tableName });
  const service = new EventLogService(sequelizeStorage(sequelize, { tableName }));
  await fill(service as EventLogService<unknown>);
  const dialect = sqlDialect(sequelize.getDialect(), 'bench');
  const statements = logStatements({
    dialect,
    table: dialect.quote(tableName),
    heads: dialect.quote(chainHeadsTableName(tableName)),
    changedKeys: dialect.quote(changedKeysTableName(tableName)),
    placeholder: dollarNumber,
  });
  return {
    name: `sequelize, ${name}`,
    service: service as EventLogService<unknown>,
    hand(query) {
      const { sql, bindings } = pageOf(statements, query);
      return () => sequelize.query(sql, { bind: bindings, type: QueryTypes.SELECT, raw: true });
    },
    rounds: ROUNDS,
    block: BLOCK,
    baseline: '`sequelize.query(sql, { bind, type: SELECT, raw: true })`',
    close: async () => {
      await sequelize.getQueryInterface().dropTable(tableName);
      await sequelize.close();
    },
  };
}

async function mongooseTarget(url: string): Promise<Target> {
  const connection = await mongoose.createConnection(url).asPromise();
  const collection = `bench_reads_${Math.random().toString(36).slice(2, 8)}`;
  const storage = mongooseStorage(connection, { collection });
  await storage.ensureIndexes();
  const service = new EventLogService(storage);
  await fill(service as EventLogService<unknown>);
  // The native collection under the model: what Mongoose itself sends the query through.
  const native = storage.model.collection;
  return {
    name: 'mongoose, jongodb',
    service: service as EventLogService<unknown>,
    hand(query) {
      const { limit } = eventLogQuerySchema.parse(query);
      const filter = query.tool === undefined ? {} : { tool: { $in: [query.tool] } };
      return () =>
        native
          .find(filter)
          .sort({ timestamp: -1, _id: -1 })
          .limit(limit + 1)
          .toArray();
    },
    rounds: MONGO_ROUNDS,
    block: MONGO_BLOCK,
    baseline: "the MongoDB driver's `collection.find(filter).sort(...).limit(n + 1).toArray()`",
    // The server is thrown away after the run: the collection goes with it.
    close: () => connection.close(),
  };
}

async function compare(target: Target): Promise<string[]> {
  const lines: string[] = [];
  for (const [what, query] of QUERIES) {
    for (const limit of PAGES) {
      const q = { ...query, limit };
      const fns = [() => target.service.list(q), target.hand(q)];
      await interleave(fns, target.rounds / 4, target.block);
      const [list, hand] = (await interleave(fns, target.rounds, target.block)) as [
        Interleaved,
        Interleaved,
      ];
      const per = (m: Interleaved) => ms(medianOf(m.blocks) / target.block);
      const r = blockRatio(hand, list);
      const verdict = Math.floor(r * 100) / 100 >= 0.9 ? 'met' : '**missed**';
      lines.push(
        `| ${target.name} | page of ${limit}, ${what} | ${per(list)} ms | ${per(hand)} ms | **${ratio(r)}** | ${verdict} |`,
      );
    }
  }
  return lines;
}

/** Runs the suite and returns its Markdown section of bench/RESULTS.md. */
export async function run(): Promise<string> {
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'eventlog-bench-reads-'));
  const notes: string[] = [];
  const lines: string[] = [];
  const baselines = new Map<string, string>();
  const measure = async (name: string, make: () => Promise<Target>) => {
    if (!wanted(name)) return;
    const target = await make();
    try {
      console.log(`reads bench: ${target.name}`);
      baselines.set(target.name.split(',')[0] as string, target.baseline);
      lines.push(...(await compare(target)));
    } finally {
      await target.close();
    }
  };
  const pg = await (wanted('knex, PostgreSQL') || wanted('sequelize, PostgreSQL')
    ? startPostgres()
    : Promise.resolve(undefined)
  ).catch((e: Error) => {
    notes.push(`PostgreSQL skipped: ${e.message.split('\n')[0]}`);
    return undefined;
  });
  try {
    await measure('knex, SQLite', async () => {
      const knex = knexFactory({
        client: 'better-sqlite3',
        connection: { filename: join(dir, 'knex.db') },
        useNullAsDefault: true,
      });
      await knex.raw('PRAGMA journal_mode = WAL');
      return knexTarget('SQLite file (better-sqlite3)', knex);
    });
    if (pg) {
      await measure('knex, PostgreSQL', () =>
        knexTarget(
          'PostgreSQL',
          knexFactory({ client: 'pg', connection: pg.url, pool: { min: 1, max: 2 } }),
        ),
      );
    }
    await measure('sequelize, SQLite', () =>
      sequelizeTarget(
        'SQLite file (sqlite3)',
        new Sequelize({ dialect: 'sqlite', storage: join(dir, 'seq.db'), logging: false }),
      ),
    );
    if (pg) {
      await measure('sequelize, PostgreSQL', () =>
        sequelizeTarget(
          'PostgreSQL',
          new Sequelize(pg.url, { dialect: 'postgres', logging: false, pool: { max: 2 } }),
        ),
      );
    }
  } finally {
    await pg?.stop();
  }
  const mongo = await (wanted('mongoose, jongodb')
    ? startMongo('bench')
    : Promise.resolve(undefined)
  ).catch((e: Error) => {
    notes.push(`jongodb skipped: ${e.message.split('\n')[0]}`);
    return undefined;
  });
  try {
    if (mongo) await measure('mongoose, jongodb', () => mongooseTarget(mongo.url));
  } finally {
    await mongo?.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const total = (performance.now() - started) / 1000;
  return [
    '## reads: `list()` vs the query it runs, sent by hand',
    '',
    `Command: \`npm run bench -- reads\` · ${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'} (shared with other work) · whole suite ${total.toFixed(0)} s.`,
    ...notes.map((n) => `\n${n}\n`),
    '',
    `Each adapter holds ${ROWS.toLocaleString('en')} entries written by \`logMany\` (10 tools, JSON values, changes and metadata on every row). \`list()\` runs through \`EventLogService\` (query validation, the adapter, decoding every row into an entry, the next cursor); the baseline sends the same statement with the same bindings through the same driver and connection pool and keeps the rows as the driver returns them: ${[...baselines].map(([k, v]) => `${k}: ${v}`).join('; ')}. For SQL the statement is the one \`@eventlog/sql\` builds for \`list()\`, and the hand side runs it as a knex or Sequelize user would: \`knex.raw\` prepares the better-sqlite3 statement anew on every call and both drivers build an object per row. The knex adapter reads pages with rows as arrays (better-sqlite3 \`raw\` mode on a statement it prepared once per connection; pg \`rowMode: 'array'\` with timestamps left as text, and a page served by one index as a named prepared statement, planned once per connection, where \`knex.raw\` sends it unnamed); the Sequelize adapter sends the page to the driver on the connection \`sequelize.query\` would take from Sequelize's connection manager (pg with \`rowMode: 'array'\`, sqlite3's \`all\` with the same binds), without the option handling, bind parsing and per-row copy of \`sequelize.query\`, which it still goes through whenever Sequelize logs, times or hooks queries or a CLS transaction is open; Mongoose reads with \`find(...).lean()\`. ${ROUNDS} calls per side after a quarter as many untimed, interleaved in blocks of ${BLOCK} (on jongodb, slower to answer and swinging from call to call, ${MONGO_ROUNDS} calls in blocks of ${MONGO_BLOCK}), rotating which goes first; times are the median block per call, the ratio the median of per-block ratios (hand time / \`list()\` time; 1.00× = as fast as by hand; target ≥ 0.9×, truncated before it is judged).`,
    '',
    '| adapter, database | query | `list()` | by hand | ratio | target ≥ 0.9× |',
    '| --- | --- | ---: | ---: | ---: | --- |',
    ...lines,
    '',
    `Load average at the end (1 / 5 / 15 min): ${loadavg()
      .map((x) => x.toFixed(1))
      .join(
        ' / ',
      )} on ${cpus().length} cores shared with other work: read the paired ratios, not the times.`,
  ].join('\n');
}
