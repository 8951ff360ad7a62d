import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type EventLog,
  EventLogService,
  type IntegrityOptions,
  memoryStorage,
} from '@eventlog/core';
import type { NewEventLog } from '@eventlog/core/storage';
import request from 'supertest';
import type { ContractAccess, ContractApp, ContractNative, HttpContractOptions } from './types';

/** Header the suite's `authorize` reads: only `staff` may read the log. */
export const ROLE = 'x-test-role';
/** Header the suite's `actor` reads. */
export const USER = 'x-test-user';

/** The default access of the suite: staff only, nothing scoped. */
export const staffOnly: ContractAccess = {
  authorize: (req: ContractNative) => req.headers[ROLE] === 'staff',
};

/** How many entries every app is seeded with. */
export const SEEDED = 64;
export const TOOLS = ['alpha', 'beta', 'gamma'] as const;
export const ACTIONS = ['create', 'update', 'delete'] as const;

// Pairs of entries share a timestamp, so pagination must break ties by id.
function seedEntry(i: number, base: number): NewEventLog {
  return {
    timestamp: new Date(base + Math.floor(i / 2) * 61_000 + (i % 3)),
    actorId: `u${i % 5}`,
    actorLabel: `User ${i % 5}`,
    message: `Entry ${i}${i % 6 === 0 ? ' has the Needle' : ''} (100%_done)`,
    template: null,
    values: null,
    tool: TOOLS[i % 3] as string,
    action: ACTIONS[Math.floor(i / 3) % 3] as string,
    objectType: i % 2 === 0 ? 'Item' : 'Team',
    objectId: String(i % 7),
    changes: i % 4 === 0 ? { oldValue: { n: i }, newValue: { n: i + 1 } } : null,
    metadata: null,
    eventId: null,
    // A few batches of three, so `batch=` has something to find and the seed format to ignore.
    batchId: i < 12 ? `batch-${Math.floor(i / 3)}` : null,
  };
}

/** A running app of the suite. */
export interface RunningApp {
  /** supertest bound to the listening server. */
  http: ReturnType<typeof request>;
  service: EventLogService;
  /** The seeded entries as stored. */
  entries: EventLog[];
  /** Where the event log router is mounted (`''` at the root). */
  base: string;
  /** Errors the routes reported to `onError`. */
  errors: unknown[];
  close(): Promise<void>;
}

/** Overrides of one app. */
export interface AppOverrides {
  router?: Partial<ContractAccess>;
  objectLog?: Partial<ContractAccess>;
  probe?: (service: EventLogService) => Promise<unknown>;
  /** The service's `integrity` option (hash chains on). */
  integrity?: IntegrityOptions;
  /** The service's `countLimit` option (where `with_count=true` stops counting). */
  countLimit?: number;
}

/**
 * Builds, seeds and starts one app on 127.0.0.1. The server accepts long request heads so the
 * hostile-query tests reach the routes instead of Node's own 431.
 */
export async function startApp(
  options: HttpContractOptions,
  base: string,
  overrides: AppOverrides = {},
): Promise<RunningApp> {
  const { storage, close: closeStorage } = options.createStorage
    ? await options.createStorage()
    : { storage: memoryStorage(), close: async () => {} };
  const service = new EventLogService(storage, {
    ...(overrides.integrity && { integrity: overrides.integrity }),
    ...(overrides.countLimit !== undefined && { countLimit: overrides.countLimit }),
  });
  const errors: unknown[] = [];
  const onError = (e: unknown) => errors.push(e);
  const start = Date.UTC(2024, 2, 1) + Math.floor(Math.random() * 1000) * 86_400_000;
  const entries = await storage.insert(
    Array.from({ length: SEEDED }, (_, i) => seedEntry(i, start)),
  );
  const app: ContractApp = {
    service,
    basePath: base,
    router: { ...staffOnly, onError, ...overrides.router },
    objectLog: {
      resourcePath: '/items',
      objectType: 'Item',
      param: 'itemId',
      access: { ...staffOnly, onError, ...overrides.objectLog },
    },
    context: {
      actor: (req) =>
        req.headers[USER] ? { id: String(req.headers[USER]), label: 'Probe' } : undefined,
    },
    probe: () => (overrides.probe ?? (async () => null))(service),
  };
  const server: Server = createServer({ maxHeaderSize: 1 << 20 }, await options.mount(app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    http: request(`http://127.0.0.1:${port}`),
    service,
    entries,
    base,
    errors,
    async close() {
      const closed = new Promise<void>((resolve, reject) =>
        server.close((e) => (e ? reject(e) : resolve())),
      );
      server.closeAllConnections();
      await closed;
      await closeStorage();
    },
  };
}

/** Sorted ids, for comparing result sets whatever the tie order. */
export const idsOf = (rows: readonly { id: unknown }[]): string[] =>
  rows.map((r) => String(r.id)).sort();

/** Whether timestamps are non-increasing (desc) or non-decreasing (asc). */
export function ordered(rows: readonly { timestamp: string }[], order: 'asc' | 'desc'): boolean {
  return rows.every((r, i) => {
    const prev = rows[i - 1];
    if (!prev) return true;
    const d = Date.parse(r.timestamp) - Date.parse(prev.timestamp);
    return order === 'desc' ? d <= 0 : d >= 0;
  });
}
