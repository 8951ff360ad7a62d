/**
 * `npm run bench -- capture`: captured writes against the same writes logged by hand and
 * against the bare writes. Each ORM's part lives in its own file.
 */

import { runKnex } from './knex';
import { type CaptureRow, measureSequelize } from './sequelize';

const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1);
const TARGET = 0.9;

function table(rows: CaptureRow[]): string[] {
  return rows.map((r) => {
    // Truncated, so a ratio shown as meeting its target really does.
    const ratio = Math.floor(r.ratio * 100) / 100;
    const verdict = ratio >= TARGET ? 'met' : '**missed**';
    return `| ${r.side} | ${ms(r.captured)} | ${ms(r.byHand)} | ${ms(r.bare)} | **${ratio.toFixed(2)}×** (≥ ${TARGET}× ${verdict}) | ${r.bareRatio.toFixed(2)}× |`;
  });
}

export async function run(): Promise<string> {
  const knex = await runKnex();
  const sequelize = await measureSequelize();
  return [
    knex,
    '',
    '## capture: Sequelize `captureModel` vs the same writes logged by hand',
    '',
    'Command: `npm run bench -- capture`. Each write runs in its own transaction; the three sides',
    'write the same table in rotating order. *Captured*: the write on a captured model (before',
    "hook reads the affected rows under the write's lock, after hook reads them back, diffs, one",
    '`logMany`). *By hand*: the same write on an uncaptured model of the same table plus a',
    '`logMany` / `log()` of entries built by hand from values the bench already knows (no reads:',
    'the cheapest a hand-written log can be). *Bare*: the write alone. Times are medians in ms per',
    'write; ratios are medians of per-block ratios (by hand ÷ captured: ≥ 1 means capture costs',
    `nothing extra; bare ÷ captured) (${new Date().toISOString().slice(0, 10)}).`,
    '',
    '| write | captured ms | by hand ms | bare ms | by hand ÷ captured | bare ÷ captured |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...table(sequelize.rows),
    '',
    'What capture adds: the read of the affected rows before the write (locking on PostgreSQL),',
    'the read after it (an instance update on PostgreSQL takes it from `RETURNING`), and the diff',
    'and entry of every row (`captureInputs`); the `logMany` itself is the same on both sides. The',
    'by-hand side trusts values it already holds, which is what loses or forks diffs when two',
    'transactions write the same row. Absolute times move with the load on this shared 2-core',
    'machine; the paired ratios are the comparable part.',
    '',
    sequelize.note,
  ].join('\n');
}
