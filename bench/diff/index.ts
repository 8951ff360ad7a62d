/**
 * `npm run bench -- diff`: `createDiffSchema` (top-level and deep mode) against microdiff,
 * deep-diff, jsondiffpatch and just-diff, in one process, on the four workloads of issue 2.
 * Every implementation diffs the same pair each iteration (no caching anywhere); runs are
 * interleaved round-robin so machine noise spreads over all of them; the median is reported.
 */

import { createDiffSchema } from '@eventlog/core';
import deepDiff from 'deep-diff';
import * as jsondiffpatch from 'jsondiffpatch';
import { diff as justDiff } from 'just-diff';
import microdiff from 'microdiff';
import { type Workload, workloads } from './workloads';

type Impl = {
  name: string;
  fn: (a: Record<string, unknown>, b: Record<string, unknown>) => unknown;
};

const patcher = jsondiffpatch.create();
const IMPLS: Impl[] = [
  { name: 'createDiffSchema (top-level)', fn: (a, b) => createDiffSchema(a, b) },
  { name: 'createDiffSchema (deep)', fn: (a, b) => createDiffSchema(a, b, { deep: true }) },
  { name: 'microdiff', fn: (a, b) => microdiff(a, b) },
  { name: 'deep-diff', fn: (a, b) => deepDiff.diff(a, b) },
  { name: 'jsondiffpatch', fn: (a, b) => patcher.diff(a, b) },
  { name: 'just-diff', fn: (a, b) => justDiff(a, b) },
];

const RUNS = 9;
const RUN_MS = 200;
const WARMUP_MS = 150;

/** Keeps results alive so no call can be optimized away. */
let sink = 0;

/**
 * Runs `impl` on `w` for about `ms` of wall time and returns calls per second of this process's
 * CPU time (user + system): on a machine shared with other work, time spent descheduled is
 * not charged to whichever implementation happened to be running.
 */
function measure(impl: Impl, w: Workload, ms: number): number {
  const { old: a, new: b } = w;
  const fn = impl.fn;
  let ops = 0;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  // Check the clock every batch, not every call, so timing does not dominate tiny workloads.
  while (performance.now() - start < ms) {
    for (let i = 0; i < 64; i++) {
      const r = fn(a, b);
      if (r !== undefined) sink++;
    }
    ops += 64;
  }
  const cpu = process.cpuUsage(cpu0);
  return ops / ((cpu.user + cpu.system) / 1e6);
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

const TARGETS: Record<string, [number, number]> = {
  // workload index → [top-level target, deep target] as ratios to microdiff
  '0': [1.5, 1.0],
  '1': [1.5, 1.0],
  '2': [1.2, 1.0],
  '3': [1.2, 1.0],
};

/** Runs the suite and returns its Markdown section for bench/RESULTS.md. */
export async function run(): Promise<string> {
  const lines: string[] = [
    '## diff: createDiffSchema vs microdiff, deep-diff, jsondiffpatch, just-diff',
    '',
    `Command: \`npm run bench -- diff\` · Node ${process.version} · ` +
      `${process.platform}/${process.arch} · ${new Date().toISOString().slice(0, 10)}.`,
    '',
    `Median of ${RUNS} rounds of ~${RUN_MS} ms per implementation after ${WARMUP_MS} ms of ` +
      'warm-up, in one process, the order rotating each round. ops/s are calls per CPU-second of ' +
      'this process (the 2-core machine is shared with other work, so wall time would charge ' +
      'descheduled time to whoever was running); × microdiff is the median of the per-round ' +
      'ratios. Expect ±10% between runs; compare ratios, not absolute numbers.',
    '',
    'Top-level mode does less than a full deep diff by design (the seed semantics: it stops at the ' +
      'first difference inside a changed top-level value); deep mode reports every changed leaf. ' +
      'Both also encode what they report as JSON and mask secrets, which the others do not.',
    '',
  ];
  const verdicts: string[] = [];
  const all = workloads();
  for (const [wi, w] of all.entries()) {
    for (const impl of IMPLS) measure(impl, w, WARMUP_MS);
    const samples = new Map<string, number[]>(IMPLS.map((i) => [i.name, []]));
    for (let r = 0; r < RUNS; r++) {
      // Rotate the order each round so no implementation always pays the previous one's GC debt.
      for (let j = 0; j < IMPLS.length; j++) {
        const impl = IMPLS[(r + j) % IMPLS.length]!;
        samples.get(impl.name)!.push(measure(impl, w, RUN_MS));
      }
    }
    const med = new Map([...samples].map(([k, v]) => [k, median(v)]));
    // The ratio is the median of per-round ratios: each round measures every implementation
    // back to back, so a burst of load from other processes mostly cancels within the round.
    const base = samples.get('microdiff')!;
    const ratio = new Map([...samples].map(([k, v]) => [k, median(v.map((x, i) => x / base[i]!))]));
    lines.push(
      `### ${w.name}`,
      '',
      '| implementation | ops/s | × microdiff |',
      '| --- | ---: | ---: |',
    );
    for (const impl of IMPLS) {
      const v = med.get(impl.name)!;
      lines.push(`| ${impl.name} | ${fmt(v)} | ${ratio.get(impl.name)!.toFixed(2)}× |`);
    }
    lines.push('');
    const [topTarget, deepTarget] = TARGETS[String(wi)]!;
    const top = ratio.get('createDiffSchema (top-level)')!;
    const deep = ratio.get('createDiffSchema (deep)')!;
    verdicts.push(
      `| ${w.name} | ${top.toFixed(2)}× (target ≥ ${topTarget}×) ${top >= topTarget ? 'met' : 'MISSED'} | ` +
        `${deep.toFixed(2)}× (target ≥ ${deepTarget}×) ${deep >= deepTarget ? 'met' : 'MISSED'} |`,
    );
    console.log(`diff bench: ${w.name} done`);
  }
  lines.push(
    '### Targets',
    '',
    '| workload | top-level vs microdiff | deep vs microdiff |',
    '| --- | --- | --- |',
  );
  lines.push(...verdicts);
  lines.push(
    '',
    'Where a target is missed, the cause measured so far: on the 10-field record most of a call is ' +
      'fixed cost. An empty diff costs createDiffSchema about 55 ns of CPU against 27 ns for ' +
      'microdiff: the result is three objects whose keys are added one by one, and each call ' +
      'probes `Object.prototype` for pollution (about 20 ns), which lets the walk use `for...in` ' +
      'safely. microdiff returns one array of references to the inputs; createDiffSchema returns ' +
      'JSON copies with secrets masked.',
  );
  if (sink < 0) console.log(sink);
  return lines.join('\n');
}
