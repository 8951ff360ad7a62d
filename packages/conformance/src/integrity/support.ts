import {
  type EventLog,
  EventLogService,
  type IntegrityOptions,
  type LogInput,
} from '@eventlog/core';
import { afterEach, beforeEach, expect, type TestContext } from 'vitest';
import type { StorageConformanceOptions, StorageHarness, TamperHooks } from '../harness';
import { at, uid } from '../storage/support';

/** What each file of the tamper suite gets: the running test's harness and integrity services. */
export interface IntegritySuite<Tx> {
  /** The harness, or skips the test (with the reason) when the adapter lacks integrity. */
  harness(ctx: TestContext): StorageHarness<Tx> & { tamper: TamperHooks };
  /** A service with `integrity` on (default one chain unless `options` say otherwise). */
  service(ctx: TestContext, options?: IntegrityOptions): EventLogService<Tx>;
}

/** Fresh harness per test; tests skip with a stated reason when integrity is not declared. */
export function useIntegrity<Tx>(options: StorageConformanceOptions<Tx>): IntegritySuite<Tx> {
  let current: StorageHarness<Tx> | undefined;
  beforeEach(async () => {
    current = await options.create();
  });
  afterEach(async () => {
    const closing = current;
    current = undefined;
    await closing?.close();
  });
  const harness = (ctx: TestContext) => {
    if (!current) throw new Error('conformance: no harness outside a test');
    if (current.storage.capabilities.integrity !== true) {
      ctx.skip(`${options.name} does not declare capabilities.integrity`);
    }
    if (!current.tamper) throw new Error(`${options.name}: the harness has no tamper hooks`);
    return current as StorageHarness<Tx> & { tamper: TamperHooks };
  };
  return {
    harness,
    service: (ctx, integrity = {}) => new EventLogService(harness(ctx).storage, { integrity }),
  };
}

/** A log() input at a fixed instant `seconds` after the suite's epoch. */
export function input(seconds: number, overrides: Partial<LogInput> = {}): LogInput {
  return {
    template: `Item {item__name} was updated (${seconds})`,
    values: { item__name: { name: `Item ${seconds}` } },
    object: { type: 'Item', id: seconds },
    actor: { id: `user_${seconds % 3}`, label: 'John Doe' },
    tool: 'items',
    action: 'update',
    changes: { oldValue: { name: 'a', n: seconds }, newValue: { name: 'b', n: seconds + 1 } },
    metadata: { ip: '127.0.0.1' },
    eventId: uid('evt'),
    timestamp: at(seconds),
    ...overrides,
  };
}

/** Logs `count` entries one by one (so each append is its own transaction). */
export async function logSeries<Tx>(
  service: EventLogService<Tx>,
  count: number,
  overrides: Partial<LogInput> = {},
): Promise<EventLog[]> {
  const out: EventLog[] = [];
  for (let i = 1; i <= count; i++) out.push(await service.log(input(i, overrides)));
  return out;
}

/** The entry at `seq` of a series returned by `logSeries`. */
export function bySeq(entries: readonly EventLog[], seq: number): EventLog {
  const entry = entries.find((e) => e.seq === seq);
  expect(entry, `entry with seq ${seq}`).toBeDefined();
  return entry as EventLog;
}
