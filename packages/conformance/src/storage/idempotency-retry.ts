import { type EventLog, EventLogService, StorageError } from '@eventlog/core';
import type { EventLogStorage } from '@eventlog/core/storage';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { query, uid, useHarness } from './support';

/**
 * The real storage, except that the first `insert` loses its answer: the write reaches the
 * database (`when: 'after'`) or never leaves (`when: 'before'`), and the caller sees a timeout
 * either way, as with a dropped connection or a proxy timing out. The loss itself is simulated
 * (no network fault can be injected between this process and an embedded SQLite); the write and
 * the retry are real.
 */
function losingFirstAnswer<Tx>(
  storage: EventLogStorage<Tx>,
  when: 'before' | 'after',
): EventLogStorage<Tx> {
  let lost = false;
  return {
    name: storage.name,
    capabilities: storage.capabilities,
    async insert(entries, options) {
      if (!lost && when === 'before') {
        lost = true;
        throw new Error('timeout: no answer from the database (simulated)');
      }
      const stored = await storage.insert(entries, options);
      if (!lost) {
        lost = true;
        throw new Error('timeout: the answer was lost (simulated)');
      }
      return stored;
    },
    find: (q) => storage.find(q),
    get: (id) => storage.get(id),
    deleteBefore: (cutoff, filter) => storage.deleteBefore(cutoff, filter),
    ...(storage.findByEventId ? { findByEventId: storage.findByEventId.bind(storage) } : {}),
  };
}

/** `log({ eventId })` retried after a timeout writes exactly one entry. */
export function idempotencyRetryTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('idempotency: retry after a timeout', () => {
    const s = useHarness(options);

    async function countTool(tool: string) {
      return (await s.harness().storage.find(query({ tool, withCount: true }))).count;
    }

    for (const when of ['after', 'before'] as const) {
      it(`a timeout ${when} the write, then a retry with the same eventId: exactly one entry`, async () => {
        const h = s.harness();
        const service = new EventLogService(losingFirstAnswer(h.storage, when));
        const tool = uid('tool');
        const input = { template: 'charged', tool, action: 'charge', eventId: uid('evt') };

        const lookup = h.storage.capabilities.eventIdLookup === true;
        const first = await service.log(input).catch((e: unknown) => e);
        if (when === 'after' && lookup) {
          // The service looks the eventId up after any failed insert, so it finds the write
          // whose answer was lost and returns it instead of the timeout.
          expect(first).not.toBeInstanceOf(Error);
          expect((first as EventLog).eventId).toBe(input.eventId);
        } else {
          expect(first).toBeInstanceOf(StorageError);
          expect(String((first as StorageError).cause)).toContain('timeout');
        }
        expect(await countTool(tool)).toBe(when === 'after' ? 1 : 0);

        const retry = await service.log(input).catch((e: unknown) => e);
        if (when === 'before' || lookup) {
          expect(retry).not.toBeInstanceOf(Error);
          const entry = retry as EventLog;
          expect(entry.eventId).toBe(input.eventId);
          expect(await h.readRaw(entry.id)).toEqual(entry);
          if (!(first instanceof Error)) expect(entry).toEqual(first);
        } else {
          // Without a lookup the unique key still holds; the retry is refused, not duplicated.
          expect(retry).toBeInstanceOf(StorageError);
        }
        // A third attempt, as an impatient client would make, changes nothing either.
        await service.log(input).catch(() => undefined);
        expect(await countTool(tool)).toBe(1);
      });
    }
  });
}
