/** One benchmark input: a pair of records to diff. */
export interface Workload {
  name: string;
  old: Record<string, unknown>;
  new: Record<string, unknown>;
}

/** A small deterministic PRNG (mulberry32) so every run diffs the same data. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function flat10(): Workload {
  const old = {
    id: 1042,
    name: 'Certificate A',
    status: 'active',
    owner: 'john.doe',
    email: 'john@example.com',
    quantity: 12,
    price: 19.99,
    approved: true,
    category: 'safety',
    notes: 'first inspection done',
  };
  const next = { ...old, status: 'inactive', quantity: 13 };
  return { name: '1. flat, 10 fields, 2 changed', old, new: next };
}

function nested50(): Workload {
  const r = rng(50);
  const old: Record<string, unknown> = {};
  for (let i = 0; i < 40; i++) {
    old[`field${i}`] =
      i % 3 === 0 ? `value-${Math.floor(r() * 1e6)}` : i % 3 === 1 ? i * 7 : i % 2 === 0;
  }
  for (let i = 0; i < 9; i++) {
    old[`group${i}`] = {
      label: `group ${i}`,
      count: i,
      meta: { createdBy: 'admin', tags: ['a', 'b'], score: r() },
    };
  }
  old.items = Array.from({ length: 20 }, (_, i) => ({ sku: `SKU-${i}`, qty: i, price: i * 1.5 }));
  const next = clone(old);
  next.field4 = 'changed';
  (next.group3 as { meta: { score: number } }).meta.score = 42;
  (next.items as { qty: number }[])[7]!.qty = 700;
  return { name: '2. 50 fields, nested objects + array of 20, 3 changed', old, new: next };
}

function wide1000(): Workload {
  const r = rng(1000);
  const old: Record<string, unknown> = {};
  for (let i = 0; i < 1000; i++) {
    old[`k${i}`] = i % 2 === 0 ? Math.floor(r() * 1e9) : `s${Math.floor(r() * 1e9)}`;
  }
  const next = { ...old };
  for (let i = 0; i < 1000; i += 100) next[`k${i}`] = -1;
  return { name: '3. 1,000 keys, 1% changed', old, new: next };
}

function identical(): Workload {
  const w = nested50();
  return { name: '4. identical records (deep-equal copies)', old: w.old, new: clone(w.old) };
}

/** The four workloads of issue 2, built fresh (no object is shared between old and new). */
export function workloads(): Workload[] {
  return [flat10(), nested50(), wide1000(), identical()];
}
