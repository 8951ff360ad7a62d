/** Timing helpers shared by the benchmarks (knex, sequelize, capture, integrity, history). */

import { performance } from 'node:perf_hooks';

/** Median wall time in ms of `runs` sequential calls, after `warmup` unmeasured ones. */
export async function median(fn: () => Promise<unknown>, runs = 50, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return medianOf(times);
}

/** Wall time in ms of one call. */
export async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** What `interleave` measured for each function. */
export interface Interleaved {
  /** Total ms of all its calls. */
  total: number;
  /** Ms of each block of calls, in run order. */
  blocks: number[];
}

/**
 * Runs each of `fns` `rounds` times, interleaved in small blocks so load from other processes
 * and cache warm-up hit all alike. The block order rotates, so each function goes first equally
 * often: whatever the first block after another one pays (a colder cache) is not charged to one
 * function only.
 */
export async function interleave(
  fns: readonly (() => Promise<unknown>)[],
  rounds: number,
  block = 20,
): Promise<Interleaved[]> {
  const out: Interleaved[] = fns.map(() => ({ total: 0, blocks: [] }));
  for (let done = 0, turn = 0; done < rounds; done += block, turn++) {
    const n = Math.min(block, rounds - done);
    for (let j = 0; j < fns.length; j++) {
      const k = (j + turn) % fns.length;
      const fn = fns[k] as () => Promise<unknown>;
      const t = performance.now();
      for (let i = 0; i < n; i++) await fn();
      const took = performance.now() - t;
      const m = out[k] as Interleaved;
      m.total += took;
      m.blocks.push(took);
    }
  }
  return out;
}

/** Median ms per call of a function `interleave` ran in blocks of `block` calls. */
export const perCall = (m: Interleaved, block: number): number => medianOf(m.blocks) / block;

/** The total ms of each function `interleave` ran. */
export const totals = (measured: readonly Interleaved[]): number[] => measured.map((m) => m.total);

/** The median of `values` (not sorted in place). */
export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * `baseline` time over `measured` time, as the median over the blocks both ran side by side:
 * a burst that lands in one block (a WAL checkpoint, another process on the box) moves that
 * block's ratio only, where in a ratio of totals it would be charged to whichever side it hit.
 */
export function blockRatio(baseline: Interleaved, measured: Interleaved): number {
  return medianOf(baseline.blocks.map((t, b) => t / (measured.blocks[b] as number)));
}

export const ms = (n: number): string =>
  n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
export const ratio = (n: number): string => `${n.toFixed(2)}×`;

/** A ratio in bold with its target and whether it was met: `**1.02×** (target ≥ 0.95×: met)`. */
export const against = (n: number, target: number): string =>
  `**${ratio(n)}** (target ≥ ${ratio(target)}: ${n >= target ? 'met' : 'missed'})`;
