import { describeSuite } from '@eventlog/conformance';
import type { EventLogQuery } from '@eventlog/core';
import { encodeCursor, eventLogQuerySchema } from '@eventlog/core/storage';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { buildFilter, cursorKey, keysetCondition } from '../src/query';
import { entry } from './fixtures';
import { closeConnection, createHarness, serverLabel, target } from './harness';

/** Every `stage` named anywhere in an explain document (classic and SBE layouts alike). */
function stages(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const child of node) stages(child, found);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'stage' && typeof value === 'string') found.push(value);
      else if (key !== 'rejectedPlans') stages(value, found);
    }
  }
  return found;
}

describeSuite(
  `mongoose queries use the indexes (${serverLabel})`,
  { name: 'mongoose', unavailable: target.unavailable },
  () => {
    let h: Awaited<ReturnType<typeof createHarness>>;
    beforeEach(async () => {
      h = await createHarness();
    });
    afterEach(() => h.close());
    afterAll(closeConnection);

    const shapes: [string, EventLogQuery][] = [
      ['no filter', {}],
      ['tool', { tool: 'a' }],
      ['actorId', { actorId: 'u1' }],
      ['objectType + objectId', { objectType: 'Item', objectId: '1' }],
      ['oldest first', { tool: 'a', order: 'asc' }],
    ];
    for (const [name, query] of shapes) {
      it(`walks an index without a blocking sort: ${name}, first and later pages`, async (ctx) => {
        const stored = await h.storage.insert([
          entry({ tool: 'a', actorId: 'u1', objectType: 'Item', objectId: '1' }),
          entry({ tool: 'b', actorId: 'u2', objectType: 'Item', objectId: '2' }),
        ]);
        const parsed = eventLogQuerySchema.parse(query);
        const cursor = encodeCursor(parsed.order, cursorKey(stored[0]!.timestamp, stored[0]!.id));
        const direction = parsed.order === 'asc' ? 1 : -1;
        for (const filter of [
          buildFilter(parsed),
          { ...buildFilter(parsed), ...keysetCondition(cursor, parsed.order) },
        ]) {
          let plan: unknown;
          try {
            plan = await h.storage.model
              .find(filter)
              .sort({ timestamp: direction, _id: direction })
              .limit(parsed.limit + 1)
              .explain('queryPlanner');
          } catch (error) {
            // jongodb has no `explain`: this check needs a real mongod (EVENTLOG_MONGODB_URL).
            const message = error instanceof Error ? error.message : String(error);
            if (!/no such command|CommandNotFound/i.test(message)) throw error;
            ctx.skip(
              `the server has no explain command (${message}); set EVENTLOG_MONGODB_URL to a mongod`,
            );
          }
          const found = stages(plan);
          expect(found).toContain('IXSCAN');
          expect(found).not.toContain('COLLSCAN');
          expect(found).not.toContain('SORT');
        }
      });
    }
  },
);
