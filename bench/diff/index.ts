/**
 * `npm run bench -- diff`: `createDiffSchema` (top-level and deep mode, each with and without
 * `excludeKeys`) against microdiff, deep-diff, jsondiffpatch and just-diff, in one process.
 * Every implementation diffs the same pair each iteration (no caching of results anywhere;
 * the options object is a fresh literal per call, as a caller writes it); runs are interleaved
 * round-robin so machine noise spreads over all of them; the median is reported.
 * `DIFF_WORKLOADS=5,6` runs only those workloads (for quick checks; RESULTS.md wants all).
 */

import { loadavg } from 'node:os';
import { createDiffSchema } from '@eventlog/core';
import deepDiff from 'deep-diff';
import * as jsondiffpatch from 'jsondiffpatch';
import { diff as justDiff } from 'just-diff';
import microdiff from 'microdiff';
import { FLOOR, floorOf, SHARED, sharedFloorOf } from './floors';
import { type Impl, type Workload, workloads } from './workloads';

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

/**
 * Checks that every createDiffSchema row finds the same changes as microdiff on `w` (the same
 * changed top-level keys; `updatedAt` aside where it is excluded), so no row is faster by
 * finding less. Throws on a mismatch.
 */
function checkSameChanges(w: Workload): void {
  const md = microdiff(w.old, w.new).map((c) => String(c.path[0]));
  for (const impl of IMPLS.slice(0, 4)) {
    const d = impl.fn(w.old, w.new) as { oldValue: object; newValue: object };
    const ours = new Set([...Object.keys(d.oldValue), ...Object.keys(d.newValue)]);
    const theirs = new Set(
      md.filter((k) => !impl.name.includes('excludeKeys') || k !== 'updatedAt'),
    );
    const same = ours.size === theirs.size && [...ours].every((k) => theirs.has(k));
    if (!same) throw new Error(`${impl.name} and microdiff disagree on ${w.name}`);
  }
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

function fmtLoad(l: number[]): string {
  return l.map((x) => x.toFixed(2)).join(' / ');
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
    'What each side produces. microdiff: an array with one `{ type, path, value, oldValue }` per ' +
      'changed, added or removed leaf, from a walk of every key of both records; its values are ' +
      'references into the inputs (nothing is copied). createDiffSchema: `{ oldValue, newValue }`, ' +
      'JSON copies that share nothing with the inputs (Dates as ISO strings, secrets masked, `-0` ' +
      'and `NaN` encoded). Top-level mode holds the whole old and new value of each changed ' +
      'top-level key, so a one-leaf change inside a large nested value copies that value (its ' +
      'equal parts once, shared by both sides); deep mode holds only the changed leaves under ' +
      'mirrored nested objects, arrays whole. Before timing, the bench checks that every ' +
      'createDiffSchema row finds the same changed top-level keys as microdiff (`updatedAt` aside ' +
      "where it is excluded). `excludeKeys` rows pass `{ excludeKeys: ['updatedAt'] }` as a fresh " +
      'literal on every call; microdiff has no such option and diffs `updatedAt` too.',
    '',
  ];
  const verdicts: string[] = [];
  const only = process.env.DIFF_WORKLOADS?.split(',').map((n) => Number(n));
  const all = workloads().filter((_, i) => only === undefined || only.includes(i + 1));
  const loadBefore = loadavg();
  for (const w of all) {
    checkSameChanges(w);
    const impls = [...IMPLS, floorOf(w), sharedFloorOf(w)];
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
    const floors = [FLOOR, SHARED].map((f) => `${ratio.get(f)!.toFixed(2)}×`).join(' | ');
    verdicts.push(`| ${w.name} | ${cells.join(' | ')} | ${floors} |`);
    console.log(`diff bench: ${w.name} done`);
  }
  lines.push(
    `### Targets (each ≥ ${TARGET}× microdiff)`,
    '',
    `| workload | ${MODES.map(([m]) => m).join(' | ')} | floor (copies only) | floor (one shared walk) |`,
    `| --- |${MODES.map(() => ' --- |').join('')} --- | --- |`,
  );
  lines.push(...verdicts);
  lines.push(
    '',
    'The two floor columns are the last two rows of each table, both with the changed top-level ' +
      'keys known in advance and no encoding rules, key checks or secrets: copying the old and new ' +
      'value of each changed key separately; and one walk over both values that copies the old side ' +
      'and shares its equal parts with the new side (the output createDiffSchema returns, whose ' +
      'equal parts are shared). A top-level diff returning that output cannot be faster than the ' +
      'second: where it is below the target, the target is out of reach under the output contract.',
    '',
    'Where a target is missed, the causes measured: on the 10-field record most of a call is ' +
      'writing the result: two new objects filled key by key (their ' +
      'shape is not known in advance, so each key is a generic store), where microdiff allocates ' +
      'one fixed-shape object per change; the comparison loop itself runs at about the speed of ' +
      "microdiff's. On the order with 40 line items (top-level and deep, since arrays are leaves) " +
      'and the large nested value (top-level), the result holds a copy of the whole changed value, ' +
      'and the shared-walk floor, which does nothing but produce that output, is below the target ' +
      'on the nested value (so the top-level target there is out of reach under the output ' +
      'contract) and just above it on the line items, with no room left for the encoding rules, ' +
      'key checks and secrets (in a separate interleaved run of the same walk against microdiff ' +
      'at load ~14: 1.69× on the line items, 1.37× on the nested value). createDiffSchema ' +
      'compares without allocating up to the first difference, then ' +
      'encodes the parts seen so far once (shared by both sides) and walks the rest comparing and ' +
      'encoding at once. Tried: encoding from the start, with no comparison-only phase (one walk ' +
      'per changed value; on 2026-12-02, interleaved A/B in one process: line items about ' +
      '1.1-1.2× instead of 1.0×, the nested value about 0.95× instead of 0.8×, but identical ' +
      'records fell from about 2.8× to 1.7× and the 50-field record to about 1.5×, since every ' +
      'equal nested value was copied and thrown away; not kept); a spread copy `{ ...value }` of ' +
      'the input (about 2.5× faster to copy, but it copies symbol keys, so the result would share ' +
      'data with the input, and checking each object for symbol keys costs what it saves); ' +
      'spreading our own partial result to start the new side (exact, but V8 extends such a clone ' +
      'without its shared transitions: the walk became about 3× slower); ' +
      '`JSON.parse(JSON.stringify())` (about 6× slower than the floor). Measured by ablation on ' +
      'the 10-field record (each part removed in turn from a bundled copy, run interleaved with ' +
      'the unchanged copy and microdiff in one process): leaving out the result stores entirely ' +
      'gains about 0.25× (they are the largest single cost, a megamorphic keyed store adding a ' +
      'property per changed key and side), while leaving out the secret-key check or the ' +
      'per-call prototype check gains nothing measurable on a machine this loaded. Presence is ' +
      'tested against `Object.keys` of the other side (a key is present only as an own enumerable ' +
      'property, as in the encoding), matched in order by string compare, and while the keys are ' +
      "in step the other side's values come from one `Object.values` call instead of a keyed load " +
      'per key (kept: wide records about 2× faster, the profile about 1.2×; two small arrays per ' +
      'compared object pair). Tried: skipping `Object.values` for objects of 6 keys or fewer (no ' +
      'difference measurable on the line items or the nested value; not kept).',
    '',
    `Load average (1, 5, 15 min) on the 2-core machine: ${fmtLoad(loadBefore)} at the start, ` +
      `${fmtLoad(loadavg())} at the end.`,
  );
  if (sink < 0) console.log(sink);
  return lines.join('\n');
}
