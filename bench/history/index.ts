/**
 * History on knex + SQLite (better-sqlite3, a temporary file): `stateAt` of an object with
 * 1,000 entries against `listForObject` of the same entries, `list({ changedKey })` page 1 for a
 * key 1% of entries touch against page 1 by tool (with the plan), and `logMany` throughput of
 * entries with changes (changed-keys rows written) against the same entries without changes.
 * ROWS (env HISTORY_BENCH_ROWS) is smaller than 1,000,000 on the shared machine: see RESULTS.md.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventLogTable, knexStorage } from '@eventlog/adapter-knex';
import { EventLogService, type NewEventLog } from '@eventlog/core';
import knexFactory from 'knex';
import { median } from '../knex/measure';

const ROWS = Number(process.env.HISTORY_BENCH_ROWS ?? 200_000);
const HOT = 'hot';

function row(i: number): NewEventLog {
  const hot = i % Math.floor(ROWS / 1000) === 0;
  const key = i % 100 === 0 ? 'rare' : 'status';
  return {
    timestamp: new Date(Date.UTC(2024, 0, 1) + i * 1000),
    actorId: `u${i % 50}`,
    actorLabel: null,
    message: `Item ${i} changed`,
    template: null,
    values: null,
    tool: `tool${i % 20}`,
    action: 'update',
    objectType: 'Item',
    objectId: hot ? HOT : String(i % 50_000),
    changes: { oldValue: { [key]: i - 1 }, newValue: { [key]: i } },
    metadata: null,
    eventId: null,
    batchId: null,
  };
}

export async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'eventlog-history-'));
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(dir, 'bench.db') },
    useNullAsDefault: true,
  });
  try {
    await createEventLogTable(db);
    const storage = knexStorage(db);
    const service = new EventLogService(storage);
    const t0 = Date.now();
    for (let i = 0; i < ROWS; i += 5000) {
      await storage.insert(Array.from({ length: Math.min(5000, ROWS - i) }, (_, k) => row(i + k)));
    }
    const loadSeconds = (Date.now() - t0) / 1000;
    const item = { type: 'Item', id: HOT };
    const state = await median(() => service.stateAt(item), 20);
    const list = await median(() => service.listForObject(item, { limit: 1000, order: 'asc' }), 20);
    const changed = await median(() => service.list({ changedKey: 'rare' }), 50);
    const byTool = await median(() => service.list({ tool: 'tool3' }), 50);
    const plan = (await db.raw(
      `EXPLAIN QUERY PLAN SELECT eventlog.* FROM eventlog JOIN eventlog_changed_keys ON entry_id = eventlog.id AND changed_key = 'rare' ORDER BY entry_ts DESC, entry_id DESC LIMIT 51`,
    )) as { detail: string }[];
    const inputs = (withChanges: boolean) =>
      Array.from({ length: 500 }, (_, i) => ({
        template: 'x',
        tool: 'bench',
        action: 'update',
        ...(withChanges && { changes: { oldValue: { status: i }, newValue: { status: i + 1 } } }),
      }));
    const indexed = await median(() => service.logMany(inputs(true)), 20);
    const plain = await median(() => service.logMany(inputs(false)), 20);
    return [
      '## History (knex + SQLite)',
      '',
      `Command: \`HISTORY_BENCH_ROWS=${ROWS} npm run bench -- history\`; ${ROWS.toLocaleString('en')} rows loaded in ${loadSeconds.toFixed(1)} s.`,
      '',
      '| measure | median ms | ratio |',
      '| --- | --- | --- |',
      `| stateAt (1,000 entries) | ${state.toFixed(2)} | ${(state / list).toFixed(2)}× listForObject |`,
      `| listForObject (same 1,000) | ${list.toFixed(2)} | baseline |`,
      `| list({ changedKey }) page 1, key on 1% | ${changed.toFixed(2)} | ${(changed / byTool).toFixed(2)}× by tool |`,
      `| list({ tool }) page 1 | ${byTool.toFixed(2)} | baseline |`,
      `| logMany 500 with changes (changed keys written) | ${indexed.toFixed(2)} | ${(plain / indexed).toFixed(2)}× throughput of without |`,
      `| logMany 500 without changes | ${plain.toFixed(2)} | baseline |`,
      '',
      `Plan of the changedKey page: ${plan.map((p) => p.detail).join('; ')}`,
    ].join('\n');
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
