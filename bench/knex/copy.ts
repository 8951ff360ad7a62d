/**
 * PostgreSQL's bulk ceiling: `logMany` of a large batch against `psql \copy` of the same rows and
 * their changed-keys rows (CSV written once, untimed), the fastest way PostgreSQL takes rows from a
 * client.
 */

import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createEventLogTable, knexStorage } from '@eventlog/adapter-knex';
import { EventLogService, type LogInput } from '@eventlog/core';
import { changedKeysTableName } from '@eventlog/sql';
import type { Knex } from 'knex';
import { against, blockRatio, type Interleaved, interleave, medianOf, ms } from './measure';

const run = promisify(execFile);

/** One CSV field: NULL is an unquoted empty field, everything else is quoted. */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : String(v);
  return `"${s.replaceAll('"', '""')}"`;
}

/**
 * Measures `rounds` rounds of `logMany(inputs)` and `psql \copy` of `rows` side by side (the
 * order rotating), and returns the bench table's line. The `\copy` side writes what `logMany`
 * stores: each row (its id given in the file) and one changed-keys row per key in `keys`, in one
 * transaction (`psql -1`). Each round has its own pair of files, so the ids never repeat.
 */
export async function copyCeiling(
  knex: Knex,
  url: string,
  dir: string,
  inputs: readonly LogInput[],
  rows: readonly Record<string, unknown>[],
  keys: readonly string[],
  rounds: number,
): Promise<string> {
  const [logTable, copyTable] = ['bench_copy_log', 'bench_copy'];
  const tables = [logTable, copyTable].flatMap((t) => [t, changedKeysTableName(t)]);
  for (const t of tables) await knex.schema.dropTableIfExists(t);
  for (const t of [logTable, copyTable]) await createEventLogTable(knex, { tableName: t });
  const service = new EventLogService(knexStorage(knex, { tableName: logTable }));
  const columns = Object.keys(rows[0] as object);
  const csv = (lines: unknown[][]) => `${lines.map((l) => l.map(csvField).join(',')).join('\n')}\n`;
  const commands: string[][] = [];
  for (let round = 0; round < rounds; round++) {
    const idOf = (k: number) => round * rows.length + k + 1;
    const [entryFile, keyFile] = [`copy-${round}.csv`, `copy-keys-${round}.csv`].map((f) =>
      join(dir, f),
    ) as [string, string];
    await writeFile(entryFile, csv(rows.map((r, k) => [idOf(k), ...columns.map((c) => r[c])])));
    await writeFile(
      keyFile,
      csv(rows.flatMap((r, k) => keys.map((key) => [idOf(k), key, r.timestamp]))),
    );
    const list = ['id', ...columns].map((c) => `"${c}"`).join(', ');
    commands.push([
      `\\copy ${copyTable} (${list}) FROM '${entryFile}' WITH (FORMAT csv)`,
      `\\copy ${changedKeysTableName(copyTable)} (entry_id, changed_key, entry_ts) FROM '${keyFile}' WITH (FORMAT csv)`,
    ]);
  }
  let round = 0;
  const [many, copied] = (await interleave(
    [
      () => service.logMany(inputs),
      () =>
        run('psql', [
          url,
          '-q',
          '-1',
          '-v',
          'ON_ERROR_STOP=1',
          ...(commands[round++] as string[]).flatMap((c) => ['-c', c]),
        ]),
    ],
    rounds,
    1,
  )) as [Interleaved, Interleaved];
  const count = async (t: string) =>
    Number(((await knex(t).count({ n: '*' })) as { n: string }[])[0]?.n);
  const written = [
    await count(logTable),
    await count(copyTable),
    await count(changedKeysTableName(logTable)),
    await count(changedKeysTableName(copyTable)),
  ];
  for (const t of tables) await knex.schema.dropTableIfExists(t);
  const differ =
    written[0] === written[1] && written[2] === written[3]
      ? ''
      : ` (row counts differ: ${written.join(' / ')})`;
  return `| PostgreSQL | \`logMany\` of ${inputs.length.toLocaleString('en')} entries vs \`psql \\copy\` of the same rows and their changed-keys rows (CSV, one transaction, median of ${rounds}) | ${ms(medianOf(many.blocks))} ms | — | ${ms(medianOf(copied.blocks))} ms (\`\\copy\`) | ${against(blockRatio(copied, many), 0.8)}${differ} | — |`;
}
