import { type EventLog, EventLogService, type MemoryStorage, memoryStorage } from '@eventlog/core';
import type { NewEventLog } from '@eventlog/core/storage';
import { chainInput, linkEntries } from '../../src/integrity/hash';

// What the purge-cut and cut-record tests share: a service on the reference storage whose clock
// they move, a series of entries, and entries forged through the storage.

export const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, seconds));

export const input = (seconds: number, tool = 'items') => ({
  template: `Entry ${seconds}`,
  tool,
  action: 'update',
  timestamp: at(seconds),
});

/** A service whose clock the test moves: cut records are stamped with it. */
export function setup(partition: 'default' | 'tool' = 'default') {
  const storage = memoryStorage();
  const clock = { now: at(100) };
  const service = new EventLogService(storage, {
    integrity: { partition },
    clock: () => clock.now,
  }) as EventLogService<unknown>;
  return { storage, service, clock };
}

/** The entries of partition `chain` as stored, by seq. */
export const stored = (storage: MemoryStorage, chain = 'default') =>
  [...storage.raw.entries.values()]
    .filter((e) => e.chain === chain)
    .sort((a, b) => (a.seq as number) - (b.seq as number));

export const head = (storage: MemoryStorage, chain = 'default') => {
  const found = storage.raw.heads.get(chain);
  if (!found) throw new Error(`no head ${chain}`);
  return found;
};

/** Logs entries 1..count of tool `items`, one by one. */
export async function series(
  service: EventLogService<unknown>,
  count: number,
): Promise<EventLog[]> {
  const out: EventLog[] = [];
  for (let i = 1; i <= count; i++) out.push(await service.log(input(i)));
  return out;
}

export const MOVED = (seq: number) =>
  `the start of the partition (seq ${seq}) was moved outside eventlog: no purge recorded in the chain cut it there`;

/**
 * Appends an entry to partition `chain` through the storage, linked like any other, as someone
 * with write access to the database and the hash formula could: the API refuses tool `eventlog`.
 * `fields` default to a plain entry of tool `eventlog` at 90 s.
 */
export async function forgeEntry(
  storage: MemoryStorage,
  chain: string,
  fields: Partial<NewEventLog>,
): Promise<EventLog> {
  const entry: NewEventLog = {
    timestamp: at(90),
    actorId: null,
    actorLabel: null,
    message: 'Forged',
    template: 'Forged',
    values: null,
    tool: 'eventlog',
    action: 'purge',
    objectType: 'chain',
    objectId: chain,
    changes: null,
    metadata: null,
    eventId: null,
    batchId: null,
    ...fields,
  };
  const [appended] = await storage.appendChained([chainInput(entry, chain)], linkEntries);
  return appended as EventLog;
}
