import type { CaptureOptions, EventLog } from '@eventlog/core';
import { afterEach } from 'vitest';
import { uid } from '../storage/support';
import type { CaptureConformanceOptions, CaptureHarness, NewItem } from './harness';

/** A harness opened for one test, with the tool and objectType its capture logs with. */
export interface Opened<Tx> {
  h: CaptureHarness<Tx>;
  tool: string;
  objectType: string;
}

/**
 * Registers closing in the enclosing `describe` and returns `open()`, which builds a fresh
 * harness with unique `objectType` and `tool`, `exclude: ['note']` unless overridden.
 */
export function useCapture<Tx>(options: CaptureConformanceOptions<Tx>) {
  const opened: CaptureHarness<Tx>[] = [];
  afterEach(async () => {
    for (const h of opened.splice(0)) await h.close();
  });
  return async function open(
    overrides: Partial<CaptureOptions> = {},
    integrity = false,
  ): Promise<Opened<Tx>> {
    const capture: CaptureOptions = {
      objectType: uid('Item'),
      tool: uid('tool'),
      exclude: ['note'],
      ...overrides,
    };
    const h = await options.create({ options: capture, integrity });
    opened.push(h);
    return { h, tool: capture.tool, objectType: capture.objectType };
  };
}

/** A row to insert with distinct values; the password and note are unique secrets to look for. */
export function item(n: number, overrides: Partial<NewItem> = {}): NewItem {
  return {
    name: `item ${n}`,
    status: 'open',
    qty: n,
    password: uid('pw'),
    note: uid('note'),
    ...overrides,
  };
}

/** Every entry of `tool`, oldest first (by timestamp, then id), through the service. */
export async function entriesOf<Tx>(h: CaptureHarness<Tx>, tool: string): Promise<EventLog[]> {
  const out: EventLog[] = [];
  let cursor: string | null = null;
  do {
    const page = await h.eventlog.list({ tool, order: 'asc', limit: 1000, cursor });
    out.push(...page.results);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return out;
}

/** The entries of one object, oldest first. */
export const ofObject = (entries: readonly EventLog[], id: string | number) =>
  entries.filter((e) => e.objectId === String(id));

/** The JSON text of everything stored for an entry: where a leaked secret would show. */
export const storedText = (entries: readonly EventLog[]) => JSON.stringify(entries);
