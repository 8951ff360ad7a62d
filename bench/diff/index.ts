/**
 * `npm run bench -- diff`: `createDiffSchema` (top-level and deep mode, each with and without
 * `excludeKeys`) against microdiff, deep-diff, jsondiffpatch and just-diff, in one process.
 * Every implementation diffs the same pair each iteration (no caching of results anywhere;
 * the options object is a fresh literal per call, as a caller writes it); runs are interleaved
 * round-robin so machine noise spreads over all of them; the median is reported.
 * `DIFF_WORKLOADS=5,6` runs only those workloads (for quick checks; RESULTS.md wants all).
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
  {
    name: 'createDiffSchema (top-level, excludeKeys)',
    fn: (a, b) => createDiffSchema(a, b, { excludeKeys: ['updatedAt'] }),
  },
  {
    name: 'createDiffSchema (deep, excludeKeys)',
    fn: (a, b) => createDiffSchema(a, b, { deep: true, excludeKeys: ['updatedAt'] }),
  },
  { name: 'microdiff', fn: (a, b) => microdiff(a, b) },
  { name: 'deep-diff', fn: (a, b) => deepDiff.diff(a, b) },
  { name: 'jsondiffpatch', fn: (a, b) => patcher.diff(a, b) },
  { name: 'just-diff', fn: (a, b) => justDiff(a, b) },
];

/** A JSON copy of plain data with no checks at all: nothing that returns copies can do less. */
function copy(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copy(v[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = copy((v as Record<string, unknown>)[k]);
  return out;
}

const FLOOR = 'floor: plain copies of the changed top-level values';

/**
 * The least a top-level diff returning JSON copies does on `w`: copy the old and new value of
 * each changed top-level key (known in advance here, so without comparing anything).
 */
function floorOf(w: Workload): Impl {
  const keys = Object.keys({ ...w.old, ...w.new }).filter(
    (k) => JSON.stringify(w.old[k]) !== JSON.stringify(w.new[k]),
  );
  return {
    name: FLOOR,
    fn: (a, b) => {
      const o: Record<string, unknown> = {};
      const n: Record<string, unknown> = {};
      for (const k of keys) {
        o[k] = copy(a[k]);
        n[k] = copy(b[k]);
      }
      return o === n ? null : o;
    },
  };
}

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

/** Every createDiffSchema row, on every workload, as a ratio to microdiff. */
const TARGET = 1.5;
const MODES = [
  ['top-level', 'createDiffSchema (top-level)'],
  ['deep', 'createDiffSchema (deep)'],
  ['top-level, excludeKeys', 'createDiffSchema (top-level, excludeKeys)'],
  ['deep, excludeKeys', 'createDiffSchema (deep, excludeKeys)'],
] as const;

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
      'Both also encode what they report as JSON and mask secrets, which the others do not. ' +
      "`excludeKeys` rows pass `{ excludeKeys: ['updatedAt'] }` as a fresh literal on every " +
      'call; microdiff has no such option and diffs `updatedAt` too.',
    '',
  ];
  const verdicts: string[] = [];
  const only = process.env.DIFF_WORKLOADS?.split(',').map((n) => Number(n));
  const all = workloads().filter((_, i) => only === undefined || only.includes(i + 1));
  for (const w of all) {
    const impls = [...IMPLS, floorOf(w)];
    for (const impl of impls) measure(impl, w, WARMUP_MS);
    const samples = new Map<string, number[]>(impls.map((i) => [i.name, []]));
    for (let r = 0; r < RUNS; r++) {
      // Rotate the order each round so no implementation always pays the previous one's GC debt.
      for (let j = 0; j < impls.length; j++) {
        const impl = impls[(r + j) % impls.length]!;
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
    for (const impl of impls) {
      const v = med.get(impl.name)!;
      lines.push(`| ${impl.name} | ${fmt(v)} | ${ratio.get(impl.name)!.toFixed(2)}× |`);
    }
    lines.push('');
    const cells = MODES.map(([, impl]) => {
      const x = ratio.get(impl)!;
      return `${x.toFixed(2)}× ${x >= TARGET ? 'met' : 'MISSED'}`;
    });
    verdicts.push(`| ${w.name} | ${cells.join(' | ')} | ${ratio.get(FLOOR)!.toFixed(2)}× |`);
    console.log(`diff bench: ${w.name} done`);
  }
  lines.push(
    `### Targets (each ≥ ${TARGET}× microdiff)`,
    '',
    `| workload | ${MODES.map(([m]) => m).join(' | ')} | floor (copies only) |`,
    `| --- |${MODES.map(() => ' --- |').join('')} --- |`,
  );
  lines.push(...verdicts);
  lines.push(
    '',
    'The floor column is the last row of each table: copying the old and new value of each changed ' +
      'top-level key with nothing else (keys known in advance, no comparison, no checks). A ' +
      'top-level diff that returns JSON copies cannot be faster than that.',
    '',
    'Where a target is missed, the causes measured: on the 10-field record (and, less, the ' +
      '25-field profile) much of a call is fixed cost (the result objects, the `Object.prototype` pollution probe that lets the walk ' +
      'use `for...in` safely, the options lookup), and a fresh options literal per call is part ' +
      'of it. On the order with 40 line items (top-level and deep, since arrays are leaves) and ' +
      'the large nested value (top-level), the result holds copies of both whole changed values, ' +
      'and the floor column shows that copying them alone is already near or below the target; ' +
      'createDiffSchema then also compares (stopping at the first difference) and checks every ' +
      'key for secrets and exclusions. Tried: encoding both changed values in one pairwise walk ' +
      'that encodes their equal parts once and shares them between the sides (kept: the two ' +
      'separate encodings it replaces measured 0.66-0.87× on these rows); copies through ' +
      '`JSON.parse(JSON.stringify())` (about 6× slower than the floor); object-spread copies ' +
      '(2.5× faster than the floor on the uniform line items, no faster on the nested value, and ' +
      'not exact: they copy symbol keys and read getters a second time); encoding first and ' +
      'comparing within the pairwise walk, with no comparison before it (one run on 2026-12-02: ' +
      'top-level 1.19× on the line items and 0.96× on the nested value, but identical records ' +
      'fell from 2.68× to 1.96×; not kept, since an update usually leaves its nested values ' +
      'equal, and a comparison that stops early costs no allocation there).',
  );
  if (sink < 0) console.log(sink);
  return lines.join('\n');
}
