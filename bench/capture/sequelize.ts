/**
 * The Sequelize part of `npm run bench -- capture`: a captured write (hooks read the rows under
 * the write's lock, read them back, diff, one `logMany`) against the same write with its entries
 * logged by hand, and against the bare write, in one process on the same table, alternating.
 * - bulk: `Model.update` of ROWS rows in a transaction;
 * - single: `instance.update` of one row in a transaction.
 * On a SQLite file and on a throwaway PostgreSQL cluster.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { captureModel, createEventLogTable, sequelizeStorage } from '@eventlog/adapter-sequelize';
import { EventLogService, type LogInput } from '@eventlog/core';
import { startPostgres } from '@eventlog/test-servers/postgres';
import { DataTypes, type Model, type ModelStatic, Sequelize, type Transaction } from 'sequelize';

const ROWS = 10_000;
const BULK_ROUNDS = 8;
const SINGLE_ROUNDS = 300;
const BLOCK = 10;

/** One comparison: ms per call of each side and the median of per-block ratios. */
export interface CaptureRow {
  side: string;
  captured: number;
  byHand: number;
  bare: number;
  /** by hand ÷ captured, time per call, per block: ≥ 1 means capture is as fast. */
  ratio: number;
  /** bare ÷ captured. */
  bareRatio: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Runs the three sides `rounds` times in blocks of `block`, rotating which goes first, and
 * returns their median ms per call and the per-block ratios to the first side.
 */
async function rotate(sides: ((i: number) => Promise<unknown>)[], rounds: number, block: number) {
  const times: number[][] = sides.map(() => []);
  for (let done = 0, k = 0; done < rounds; done += block, k++) {
    const n = Math.min(block, rounds - done);
    for (let s = 0; s < sides.length; s++) {
      const side = (s + k) % sides.length;
      const fn = sides[side] as (i: number) => Promise<unknown>;
      const t = performance.now();
      for (let i = 0; i < n; i++) await fn(done + i);
      times[side]?.push((performance.now() - t) / n);
    }
  }
  const [c = [], ...others] = times;
  return {
    ms: times.map(median),
    ratios: others.map((o) => median(o.map((t, b) => t / (c[b] as number)))),
  };
}

const attributes = {
  name: DataTypes.STRING,
  status: DataTypes.STRING,
  qty: DataTypes.INTEGER,
  price: DataTypes.DECIMAL(10, 2),
  note: DataTypes.TEXT,
};

async function measure(name: string, sequelize: Sequelize): Promise<CaptureRow[]> {
  const suffix = Math.random().toString(36).slice(2, 8);
  const tableName = `bench_log_${suffix}`;
  const itemsTable = `bench_items_${suffix}`;
  await createEventLogTable(sequelize, { tableName });
  const eventlog = new EventLogService<Transaction>(
    sequelizeStorage(sequelize, { tableName, modelName: tableName }),
  );
  const Item = sequelize.define(`Captured${suffix}`, attributes, { tableName: itemsTable });
  // The same table without capture: the by-hand and bare sides.
  const Plain = sequelize.define(`Plain${suffix}`, attributes, { tableName: itemsTable });
  await Item.sync();
  await Plain.bulkCreate(
    Array.from({ length: ROWS }, (_, i) => ({
      name: `Item ${i}`,
      status: 's0',
      qty: i,
      price: '1.00',
      note: 'a note',
    })),
  );
  const capture = captureModel(eventlog, Item as ModelStatic<Model>, {
    objectType: 'Item',
    tool: 'bench',
  });
  const ids = (await Plain.findAll({ attributes: ['id'], raw: true })).map(
    (r) => (r as unknown as { id: number }).id,
  );
  let status = 0;
  const entriesFor = (from: string, to: string): LogInput[] =>
    ids.map((id) => ({
      template: 'Item {record__id} was updated',
      values: { record__id: id },
      object: { type: 'Item', id },
      tool: 'bench',
      action: 'update',
      changes: { oldValue: { status: from }, newValue: { status: to } },
    }));
  const tx = (fn: (t: Transaction) => Promise<unknown>) => sequelize.transaction(fn);
  const bulk = await rotate(
    [
      () => {
        const to = `s${++status}`;
        return tx((t) => Item.update({ status: to }, { where: {}, transaction: t }));
      },
      () => {
        const from = `s${status}`;
        const to = `s${++status}`;
        return tx(async (t) => {
          await Plain.update({ status: to }, { where: {}, transaction: t });
          await eventlog.logMany(entriesFor(from, to), { transaction: t, batchId: true });
        });
      },
      () => {
        const to = `s${++status}`;
        return tx((t) => Plain.update({ status: to }, { where: {}, transaction: t }));
      },
    ],
    BULK_ROUNDS,
    1,
  );
  const captured = (await Item.findByPk(ids[0])) as Model;
  const plain = (await Plain.findByPk(ids[1])) as Model;
  let qty = 0;
  const single = await rotate(
    [
      () => tx((t) => captured.update({ qty: ++qty }, { transaction: t })),
      () =>
        tx(async (t) => {
          const from = plain.get('qty');
          await plain.update({ qty: ++qty }, { transaction: t });
          await eventlog.log(
            {
              template: 'Item {record__id} was updated',
              values: { record__id: plain.get('id') },
              object: { type: 'Item', id: plain.get('id') as number },
              tool: 'bench',
              action: 'update',
              changes: { oldValue: { qty: from }, newValue: { qty } },
            },
            { transaction: t },
          );
        }),
      () => tx((t) => plain.update({ qty: ++qty }, { transaction: t })),
    ],
    SINGLE_ROUNDS,
    BLOCK,
  );
  capture.stop();
  await sequelize.getQueryInterface().dropTable(itemsTable);
  await sequelize.getQueryInterface().dropTable(tableName);
  return [
    {
      side: `${name}: \`Model.update\` of ${ROWS.toLocaleString('en-US')} rows`,
      captured: bulk.ms[0] as number,
      byHand: bulk.ms[1] as number,
      bare: bulk.ms[2] as number,
      ratio: bulk.ratios[0] as number,
      bareRatio: bulk.ratios[1] as number,
    },
    {
      side: `${name}: \`instance.update\` of one row`,
      captured: single.ms[0] as number,
      byHand: single.ms[1] as number,
      bare: single.ms[2] as number,
      ratio: single.ratios[0] as number,
      bareRatio: single.ratios[1] as number,
    },
  ];
}

/** Measures on a SQLite file and on PostgreSQL; `note` says why PostgreSQL was left out. */
export async function measureSequelize(): Promise<{ rows: CaptureRow[]; note: string }> {
  const rows: CaptureRow[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'eventlog-bench-cseq-'));
  try {
    const sqlite = new Sequelize({
      dialect: 'sqlite',
      storage: join(dir, 'bench.db'),
      logging: false,
    });
    try {
      rows.push(...(await measure('Sequelize, SQLite file', sqlite)));
    } finally {
      await sqlite.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  let note = '';
  try {
    const server = await startPostgres();
    try {
      const pg = new Sequelize(server.url, {
        dialect: 'postgres',
        logging: false,
        pool: { max: 2 },
      });
      try {
        rows.push(...(await measure('Sequelize, PostgreSQL', pg)));
      } finally {
        await pg.close();
      }
    } finally {
      await server.stop();
    }
  } catch (error) {
    note = `PostgreSQL was not measured: ${(error as Error).message.split('\n')[0]}`;
  }
  return { rows, note };
}
