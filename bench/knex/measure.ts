/** Timing helpers shared by the knex benchmark. */

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
  times.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  return times.length % 2
    ? (times[mid] as number)
    : ((times[mid - 1] as number) + (times[mid] as number)) / 2;
}

/** Wall time in ms of one call. */
export async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/**
 * Runs each of `fns` `rounds` times, interleaved in small blocks so load from other processes
 * and cache warm-up hit all alike; returns the total ms of each.
 */
export async function interleave(
  fns: readonly (() => Promise<unknown>)[],
  rounds: number,
  block = 20,
): Promise<number[]> {
  const totals = fns.map(() => 0);
  for (let done = 0; done < rounds; done += block) {
    const n = Math.min(block, rounds - done);
    for (const [k, fn] of fns.entries()) {
      const t = performance.now();
      for (let i = 0; i < n; i++) await fn();
      totals[k] = (totals[k] as number) + performance.now() - t;
    }
  }
  return totals;
}

export const ms = (n: number): string =>
  n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
export const ratio = (n: number): string => `${n.toFixed(2)}×`;
