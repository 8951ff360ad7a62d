/**
 * The comparison every row of `npm run bench -- capture` makes: a captured write against the
 * same write logged by hand (with and without reading the rows first) and against the bare
 * write, interleaved in one process on the same table.
 */

import { blockRatio, type Interleaved, interleave, ms, perCall } from '../knex/measure';

/** The four ways of doing one write, each a call that runs it once in its own transaction. */
export interface Sides {
  /** Through the capture (knex `captureTable`, a Sequelize model with `captureModel`). */
  captured: () => Promise<unknown>;
  /** The write plus `log()` / `logMany` of entries built from values the caller already holds. */
  byHand: () => Promise<unknown>;
  /** Read the affected rows (locked), the write, then `log()` / `logMany` built from what was read. */
  byHandWithRead: () => Promise<unknown>;
  /** The write alone, logged by nobody. */
  bare: () => Promise<unknown>;
}

/** One measured row of the results table. */
export interface CaptureRow {
  orm: string;
  database: string;
  write: string;
  /** Ms per write of each side: the median block's time over its calls. */
  ms: Record<keyof Sides, number>;
  /** Other side's time ÷ captured time, as the median of per-block ratios (1 = as fast). */
  ratio: Record<Exclude<keyof Sides, 'captured'>, number>;
}

const ORDER = ['captured', 'byHand', 'byHandWithRead', 'bare'] as const;

/**
 * Runs the four sides `warmup` untimed calls each, then `calls` calls each interleaved in blocks
 * of `block`, rotating which side goes first.
 */
export async function compare(
  row: Pick<CaptureRow, 'orm' | 'database' | 'write'>,
  sides: Sides,
  { calls, block, warmup }: { calls: number; block: number; warmup: number },
): Promise<CaptureRow> {
  const fns = ORDER.map((k) => sides[k]);
  for (const fn of fns) for (let i = 0; i < warmup; i++) await fn();
  const [c, h, r, b] = (await interleave(fns, calls, block)) as [
    Interleaved,
    Interleaved,
    Interleaved,
    Interleaved,
  ];
  return {
    ...row,
    ms: {
      captured: perCall(c, block),
      byHand: perCall(h, block),
      byHandWithRead: perCall(r, block),
      bare: perCall(b, block),
    },
    ratio: { byHand: blockRatio(h, c), byHandWithRead: blockRatio(r, c), bare: blockRatio(b, c) },
  };
}

const GOAL = 0.9;
/** Truncated, so a ratio shown as meeting the goal really does. */
const shown = (n: number) => Math.floor(n * 100) / 100;
const verdict = (n: number) =>
  `**${shown(n).toFixed(2)}×** ${shown(n) >= GOAL ? 'met' : '**missed**'}`;

/** The table rows of `rows`, one line each. */
export function renderRows(rows: readonly CaptureRow[]): string[] {
  return [
    '| ORM | database | write | captured | by hand | by hand with read | bare | vs by hand with read (goal ≥ 0.9×) | vs by hand (issue wording, goal ≥ 0.9×) | vs bare |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.orm} | ${r.database} | ${r.write} | ${ms(r.ms.captured)} ms | ${ms(r.ms.byHand)} ms | ${ms(r.ms.byHandWithRead)} ms | ${ms(r.ms.bare)} ms | ${verdict(r.ratio.byHandWithRead)} | ${verdict(r.ratio.byHand)} | ${shown(r.ratio.bare).toFixed(2)}× |`,
    ),
  ];
}
