/**
 * `npm run bench -- capture`: captured writes (knex `captureTable`, Sequelize `captureModel`)
 * against the same writes logged by hand and against the bare writes, on a SQLite file and on
 * PostgreSQL (a throwaway cluster), in one process. Each ORM's part lives in its own file.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '@eventlog/test-servers/postgres';
import knexFactory from 'knex';
import { Sequelize } from 'sequelize';
import { type CaptureRow, renderRows } from './compare';
import { measureKnex } from './knex';
import { measureSequelize } from './sequelize';
import { BULK, ROWS, SEQUELIZE_SINGLE, SINGLE } from './sizes';

async function onSqlite(dir: string): Promise<CaptureRow[]> {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(dir, 'knex.db') },
    useNullAsDefault: true,
  });
  const rows: CaptureRow[] = [];
  try {
    await knex.raw('PRAGMA journal_mode = WAL');
    await knex.raw('PRAGMA synchronous = NORMAL');
    console.log('capture bench: knex, SQLite file');
    rows.push(...(await measureKnex('SQLite file (WAL, synchronous=NORMAL)', knex)));
  } finally {
    await knex.destroy();
  }
  const sequelize = new Sequelize({
    dialect: 'sqlite',
    storage: join(dir, 'sequelize.db'),
    logging: false,
  });
  try {
    console.log('capture bench: Sequelize, SQLite file');
    rows.push(...(await measureSequelize('SQLite file (Sequelize defaults)', sequelize)));
  } finally {
    await sequelize.close();
  }
  return rows;
}

async function onPostgres(url: string): Promise<CaptureRow[]> {
  const rows: CaptureRow[] = [];
  const knex = knexFactory({ client: 'pg', connection: url, pool: { min: 1, max: 2 } });
  try {
    console.log('capture bench: knex, PostgreSQL');
    rows.push(...(await measureKnex('PostgreSQL (fsync off)', knex)));
  } finally {
    await knex.destroy();
  }
  const sequelize = new Sequelize(url, { dialect: 'postgres', logging: false, pool: { max: 2 } });
  try {
    console.log('capture bench: Sequelize, PostgreSQL');
    rows.push(...(await measureSequelize('PostgreSQL (fsync off)', sequelize)));
  } finally {
    await sequelize.close();
  }
  return rows;
}

export async function run(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'eventlog-bench-capture-'));
  const rows: CaptureRow[] = [];
  let pgNote = '';
  try {
    rows.push(...(await onSqlite(dir)));
    const server = await startPostgres().catch((e: Error) => {
      pgNote = `PostgreSQL was not measured: ${e.message.split('\n')[0]}`;
      return undefined;
    });
    if (server) {
      try {
        rows.push(...(await onPostgres(server.url)));
      } finally {
        await server.stop();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const load = loadavg().map((x) => x.toFixed(1));
  return [
    '## capture: captured writes vs the same writes logged by hand',
    '',
    `Command: \`npm run bench -- capture\` · ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · Node ${process.version} · ${cpus().length} cores shared with other work · load average at the end (1 / 5 / 15 min) ${load.join(' / ')}.`,
    '',
    `A table of ${ROWS.toLocaleString('en')} rows; every write changes one column of the rows it touches, so each call logs. Each side runs every write in its own transaction, on the same table:`,
    '',
    "- **captured**: the write through the capture (knex `captureTable(...).update(where, patch)`; Sequelize `Model.update` / `instance.update` on a model with `captureModel`): the before-state read under the write's lock, one entry per row with its diff, one `logMany` with a batch id.",
    '- **by hand**: the issue\'s baseline, "the same update plus a hand-written `logMany` of the same entries" (bulk, with a batch id) or "the bare ORM update plus `log()` by hand" (single row), the entries built from old values the bench already knows: no read at all.',
    '- **by hand with read**: what a user writes today when they do not already hold the old values ("read the row before, update, … diff, log"): read the affected rows\' id and changed column (`FOR UPDATE` on PostgreSQL; SQLite serialises writers), the same write, then `logMany` / `log()` of entries built from what was read. It reads only the column it knows will change and does not read the rows back; the capture reads every tracked column, before and after.',
    '- **bare**: the write alone, in a transaction.',
    '',
    `The goal (≥ 0.9×) is judged against **by hand with read**: the by-hand baseline that knows the old values without reading them is not code a user can write for an arbitrary \`where\` (and under concurrency it logs diffs that do not chain). The issue's literal baseline is shown next to it. Bulk: ${BULK.warmup} untimed call per side, then ${BULK.calls} rounds rotating which side goes first; time = median per side, ratio = median of per-round ratios. Single row: ${SINGLE.warmup} untimed calls per side, then ${SINGLE.calls} calls per side interleaved in blocks of ${SINGLE.block} (Sequelize: ${SEQUELIZE_SINGLE.warmup}, ${SEQUELIZE_SINGLE.calls}, blocks of ${SEQUELIZE_SINGLE.block}: it opens a SQLite connection per transaction and syncs every commit); time = median block per call, ratio = median of per-block ratios. Ratio = other side's time ÷ captured time (1.00× = as fast; truncated to two decimals).`,
    pgNote ? `\n${pgNote}\n` : '',
    ...renderRows(rows),
    '',
    'Statements per write besides BEGIN / COMMIT and the log INSERTs (the same on every side but bare):',
    '',
    '| ORM, database | captured | by hand with read | by hand |',
    '| --- | --- | --- | --- |',
    '| knex, PostgreSQL | 1: `WITH old AS (SELECT … FOR UPDATE) UPDATE … FROM old RETURNING` new and old values | 2: `SELECT … FOR UPDATE`, `UPDATE` | 1: `UPDATE` |',
    '| knex, SQLite | 2: `SELECT`, `UPDATE … RETURNING` (SQLite cannot return old values) | 2: `SELECT`, `UPDATE` | 1 |',
    '| Sequelize, PostgreSQL, bulk | 3: `SELECT … FOR UPDATE`, `UPDATE` narrowed to the ids locked, `SELECT` by id (a hook cannot see the rows an `UPDATE … RETURNING` gave back) | 2 | 1 |',
    '| Sequelize, PostgreSQL, one instance | 2: `SELECT … FOR UPDATE`, `UPDATE … RETURNING` | 2: `findByPk` with lock, `UPDATE` | 1 |',
    '| Sequelize, SQLite | 3: `SELECT`, `UPDATE`, `SELECT` by id (Sequelize 6 has no `RETURNING` on SQLite) | 2 | 1 |',
    '',
    'Capture reads every tracked column before and after the write (so a column a trigger or the database changed is diffed too); the by-hand sides read only the one column they know changes. Absolute times move with the load on this shared machine; the paired ratios are the comparable part.',
  ].join('\n');
}
