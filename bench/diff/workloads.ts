/** One benchmark input: a pair of records to diff. */
export interface Workload {
  name: string;
  old: Record<string, unknown>;
  new: Record<string, unknown>;
}

/** One implementation under test: diffs `a` against `b`. */
export type Impl = {
  name: string;
  fn: (a: Record<string, unknown>, b: Record<string, unknown>) => unknown;
};

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

const ISO = '2024-03-01T10:00:00.000Z';
const LATER = '2024-03-02T11:30:00.000Z';

/** A user profile as an ORM returns it: 25 flat fields, two edited, `updatedAt` bumped. */
function profile25(): Workload {
  const old: Record<string, unknown> = {
    id: 7311,
    username: 'jdoe',
    firstName: 'John',
    lastName: 'Doe',
    email: 'john.doe@example.com',
    phone: '+41 44 555 01 23',
    street: 'Bahnhofstrasse 1',
    city: 'Zurich',
    zip: '8001',
    country: 'CH',
    birthDate: '1984-05-17',
    locale: 'de-CH',
    timezone: 'Europe/Zurich',
    theme: 'dark',
    newsletter: true,
    role: 'editor',
    status: 'active',
    loginCount: 482,
    company: 'Example AG',
    title: 'Engineer',
    department: 'R&D',
    managerId: 1200,
    avatarUrl: 'https://cdn.example.com/a/7311.png',
    createdAt: ISO,
    updatedAt: ISO,
  };
  const next = { ...old, title: 'Senior Engineer', loginCount: 483, updatedAt: LATER };
  return { name: '5. profile, 25 fields, 2 changed + updatedAt', old, new: next };
}

/** An order with 40 line items (each with a nested product object); one item's quantity edited. */
function lineItems40(): Workload {
  const items = Array.from({ length: 40 }, (_, i) => ({
    id: 9000 + i,
    sku: `SKU-${1000 + i}`,
    qty: 1 + (i % 5),
    unitPrice: 4.5 + i,
    discount: i % 7 === 0 ? 0.1 : 0,
    product: { id: 500 + i, name: `Product ${i}`, category: i % 2 ? 'tools' : 'parts' },
  }));
  const old: Record<string, unknown> = {
    id: 88123,
    number: 'SO-2024-88123',
    customerId: 4411,
    status: 'open',
    currency: 'CHF',
    total: 1234.5,
    createdAt: ISO,
    updatedAt: ISO,
    items,
  };
  const next = clone(old);
  (next.items as { qty: number }[])[23]!.qty = 9;
  next.updatedAt = LATER;
  return {
    name: '6. order, array of 40 line items (nested objects), 1 item changed',
    old,
    new: next,
  };
}

/** Settings whose one changed value is a large nested object (8 × 8 groups of 4 leaves). */
function largeNested(): Workload {
  const r = rng(256);
  const settings: Record<string, unknown> = {};
  for (let s = 0; s < 8; s++) {
    const section: Record<string, unknown> = {};
    for (let g = 0; g < 8; g++) {
      section[`group${g}`] = {
        enabled: (s + g) % 3 !== 0,
        level: Math.floor(r() * 100),
        label: `section ${s} group ${g}`,
        ratio: r(),
      };
    }
    settings[`section${s}`] = section;
  }
  const old: Record<string, unknown> = {
    id: 12,
    name: 'tenant settings',
    version: 41,
    updatedAt: ISO,
    settings,
  };
  const next = clone(old);
  (next.settings as Record<string, Record<string, { level: number }>>).section5!.group6!.level = -1;
  next.version = 42;
  next.updatedAt = LATER;
  return {
    name: '7. changed value is a large nested object (256 leaves, 1 changed)',
    old,
    new: next,
  };
}

function wide300(): Workload {
  const r = rng(300);
  const old: Record<string, unknown> = {};
  for (let i = 0; i < 300; i++) {
    old[`k${i}`] = i % 2 === 0 ? Math.floor(r() * 1e9) : `s${Math.floor(r() * 1e9)}`;
  }
  const next = { ...old, k10: -1, k150: 'changed', k299: -3 };
  return { name: '8. 300 keys, 3 changed', old, new: next };
}

/**
 * The four workloads the diff was first tuned on, then the shapes of real records (a profile, an order with line
 * items, a large nested settings value, a wide record), built fresh (no object is shared
 * between old and new).
 */
export function workloads(): Workload[] {
  return [
    flat10(),
    nested50(),
    wide1000(),
    identical(),
    profile25(),
    lineItems40(),
    largeNested(),
    wide300(),
  ];
}
