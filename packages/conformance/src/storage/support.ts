import { randomUUID } from 'node:crypto';
import {
  type EventLog,
  type EventLogQuery,
  EventLogService,
  type EventLogStorage,
  eventLogQuerySchema,
  type NewEventLog,
  type StorageQuery,
} from '@eventlog/core';
import { afterEach, beforeEach } from 'vitest';
import type { StorageConformanceOptions, StorageHarness } from '../harness';

/** What every concern file of the suite receives. */
export interface Suite<Tx> {
  options: StorageConformanceOptions<Tx>;
  /** The harness of the running test (a fresh, empty storage). */
  harness(): StorageHarness<Tx>;
  /** A service over the running test's storage, built the way users build it. */
  service(): EventLogService<Tx>;
}

/**
 * Registers a fresh harness per test (created before, closed after) in the enclosing
 * `describe`, so no test depends on another's data or order.
 */
export function useHarness<Tx>(options: StorageConformanceOptions<Tx>): Suite<Tx> {
  let current: StorageHarness<Tx> | undefined;
  let service: EventLogService<Tx> | undefined;
  beforeEach(async () => {
    current = await options.create();
    service = new EventLogService(current.storage);
  });
  afterEach(async () => {
    const closing = current;
    current = undefined;
    service = undefined;
    await closing?.close();
  });
  const harness = () => {
    if (!current) throw new Error('conformance: no harness outside a test');
    return current;
  };
  return {
    options,
    harness,
    service: () => {
      harness();
      return service as EventLogService<Tx>;
    },
  };
}

/** A short random token: tool names, ids and event ids never collide across tests or runs. */
export function uid(prefix = 't'): string {
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

/** A fixed instant plus `seconds`: fixtures far from "now" so clock skew cannot matter. */
export function at(seconds: number): Date {
  return new Date(Date.UTC(2024, 0, 1) + seconds * 1000);
}

/** A complete entry for `storage.insert`, every nullable field null unless overridden. */
export function newEntry(overrides: Partial<NewEventLog> = {}): NewEventLog {
  return {
    timestamp: at(0),
    actorId: null,
    actorLabel: null,
    message: 'Something happened',
    template: null,
    values: null,
    tool: uid('tool'),
    action: 'create',
    objectType: null,
    objectId: null,
    changes: null,
    metadata: null,
    eventId: null,
    batchId: null,
    ...overrides,
  };
}

/** Builds the validated query storage receives, defaults applied, as the service would. */
export function query(q: EventLogQuery = {}): StorageQuery {
  return eventLogQuerySchema.parse(q);
}

/**
 * The order the port promises for ids of equal timestamps: numeric when both ids are decimal
 * integers (SQL sequences), otherwise by UTF-16 code unit (ObjectId hex, UUIDs).
 */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `(timestamp, id)` ascending, the order of `find({ order: 'asc' })`. */
export function compareEntries(a: EventLog, b: EventLog): number {
  return a.timestamp.getTime() - b.timestamp.getTime() || compareIds(a.id, b.id);
}

/** Follows `nextCursor` to the end, calling `between` after each page; returns every page. */
export async function walk<Tx>(
  storage: EventLogStorage<Tx>,
  q: EventLogQuery,
  between?: (pageIndex: number) => Promise<void>,
): Promise<EventLog[][]> {
  const pages: EventLog[][] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 10_000; i++) {
    const page = await storage.find(query({ ...q, cursor }));
    pages.push(page.results);
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
    await between?.(i);
  }
  throw new Error('conformance: the cursor walk never ended');
}

/** The ids of entries, for comparisons that read well in failures. */
export function ids(entries: readonly EventLog[]): string[] {
  return entries.map((e) => e.id);
}
