/**
 * PostgreSQL's bulk ceiling: `logMany` of a large batch against `psql \copy` of the same rows
 * (CSV written once, untimed), the fastest way PostgreSQL takes rows from a client.
 */

import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createEventLogTable, knexStorage } from '@eventlog/adapter-knex';
import { EventLogService, type LogInput } from '@eventlog/core';
import type { Knex } from 'knex';
import { blockRatio, type Interleaved, interleave, medianOf, ms, ratio } from './measure';

const run = promisify(execFile);

/** One CSV field: NULL is an unquoted empty field, everything else is quoted. */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : String(v);
  return `"${s.replaceAll('"', '""')}"`;
}

/**
 * Measures `rounds` rounds of `logMany(inputs)` and `psql \copy` of `rows` side by side (the
 * order rotating), and returns the bench table's line.
 */
export async function copyCeiling(
  knex: Knex,
  url: string,
  dir: string,
  inputs: readonly LogInput[],
  rows: readonly Record<string, unknown>[],
  rounds: number,
): Promise<string> {
  for (const t of ['bench_copy_log', 'bench_copy']) {
    await knex.schema.dropTableIfExists(t);
    await createEventLogTable(knex, { tableName: t });
  }
  const service = new EventLogService(knexStorage(knex, { tableName: 'bench_copy_log' }));
  const columns = Object.keys(rows[0] as object);
  const file = join(dir, 'copy.csv');
  await writeFile(
    file,
    `${rows.map((r) => columns.map((c) => csvField(r[c])).join(',')).join('\n')}\n`,
  );
  const copy = `\\copy bench_copy (${columns.map((c) => `"${c}"`).join(', ')}) FROM '${file}' WITH (FORMAT csv)`;
  const [many, copied] = (await interleave(
    [
      () => service.logMany(inputs),
      () => run('psql', [url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', copy]),
    ],
    rounds,
    1,
  )) as [Interleaved, Interleaved];
  const count = async (t: string) =>
    Number(((await knex(t).count({ n: '*' })) as { n: string }[])[0]?.n);
  const [logged, copiedRows] = [await count('bench_copy_log'), await count('bench_copy')];
  for (const t of ['bench_copy_log', 'bench_copy']) await knex.schema.dropTableIfExists(t);
  const written = logged === copiedRows ? '' : ` (row counts differ: ${logged} vs ${copiedRows})`;
  return `| PostgreSQL | \`logMany\` of ${inputs.length.toLocaleString('en')} entries vs \`psql \\copy\` of the same rows (CSV, median of ${rounds}) | ${ms(medianOf(many.blocks))} ms | — | ${ms(medianOf(copied.blocks))} ms (\`\\copy\`) | **${ratio(blockRatio(copied, many))}** (target ≥ 0.8×)${written} | — |`;
}
