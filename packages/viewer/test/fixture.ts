import { createEventLogTable, knexStorage } from '@eventlog/adapter-knex';
import { EventLogService } from '@eventlog/core';
import knexFactory from 'knex';

/** The message of the hostile entry: it must show as text and never run. */
export const HOSTILE = '<img src=x onerror="window.__pwned=1">';
export const START = Date.parse('2024-03-01T09:00:00Z');
/** The batch of the profile change. */
export const PROFILE_BATCH = 'profile-batch-1';
/** How many ordinary entries `seed` writes, one a minute from `START`. */
export const SEEDED = 60;
/** The object whose history the per-object tests read: its entries are `ORDER_STORY`. */
export const ORDER = { type: 'Order', id: '7' };
/** Messages of Order #7's entries, oldest first; the middle two share one timestamp. */
export const ORDER_STORY = [
  'Order 7 created',
  'Order 7 paid',
  'Order 7 total corrected',
  'Order 7 shipped',
] as const;
/** Every entry `seededService` writes. */
export const TOTAL = SEEDED + 2 + ORDER_STORY.length;

/**
 * A service over a fresh in-memory SQLite log holding a known story: `SEEDED` entries over three
 * tools and Item #0..#9 (newest last), Order #7's history (`ORDER_STORY`, half an hour in), one
 * deep diff with a secret and a long value, and the hostile entry (newest of all). With
 * `integrity`, entries are chained per tool; `countLimit` is the service's option.
 */
export async function seededService({
  integrity = false,
  countLimit,
}: {
  integrity?: boolean;
  countLimit?: number;
} = {}) {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  await createEventLogTable(knex);
  // With integrity: one hash chain per tool.
  const service = new EventLogService(knexStorage(knex), {
    ...(integrity && { integrity: { partition: 'tool' as const } }),
    ...(countLimit !== undefined && { countLimit }),
  });
  const tools = ['inventory', 'billing', 'auth'];
  for (let i = 0; i < SEEDED; i++) {
    const tool = tools[i % 3] as string;
    await service.log({
      template: `Entry ${i} in ${tool}`,
      tool,
      action: i % 2 === 0 ? 'update' : 'create',
      object: { type: 'Item', id: String(i % 10) },
      actor: { id: i % 2 === 0 ? 'alice' : 'bob', label: i % 2 === 0 ? 'Alice Martin' : 'Bob' },
      changes: { oldValue: { n: i - 1 }, newValue: { n: i } },
      timestamp: new Date(START + i * 60_000),
    });
  }
  await orderStory(service);
  await service.logMany(
    [
      {
        template: 'Profile of Alice changed',
        tool: 'accounts',
        action: 'update',
        object: { type: 'User', id: 'alice' },
        actor: { id: 'alice', label: 'Alice Martin' },
        changes: {
          oldValue: {
            address: { city: 'Lyon', zip: '69001' },
            password: 'old-secret',
            bio: 'short',
          },
          newValue: {
            address: { city: 'Paris', zip: '69001' },
            password: 'new-secret',
            bio: 'long '.repeat(80),
            tags: ['a', 'b'],
          },
        },
        timestamp: new Date(START + SEEDED * 60_000),
      },
    ],
    { batchId: PROFILE_BATCH },
  );
  await service.log({
    template: HOSTILE,
    tool: 'inventory',
    action: 'create',
    object: { type: 'Item', id: 'x' },
    timestamp: new Date(START + (SEEDED + 1) * 60_000),
  });
  return { service, knex, close: () => knex.destroy() };
}

/**
 * Order #7: created from a snapshot holding a card token (masked when stored), then paid and its
 * total corrected at the same instant, then shipped.
 */
async function orderStory(service: EventLogService): Promise<void> {
  const at = (minute: number) => new Date(START + 30 * 60_000 + minute * 60_000 + 15_000);
  const common = {
    tool: 'orders',
    object: ORDER,
    actor: { id: 'carol', label: 'Carol' },
  };
  const [created, paid, corrected, shipped] = ORDER_STORY;
  await service.log({
    ...common,
    template: created,
    action: 'create',
    metadata: { snapshot: true },
    changes: {
      oldValue: {},
      newValue: { status: 'new', total: 10, card: { last4: '4242', token: 'tok_live_secret' } },
    },
    timestamp: at(0),
  });
  await service.logMany([
    {
      ...common,
      template: paid,
      action: 'update',
      changes: { oldValue: { status: 'new' }, newValue: { status: 'paid' } },
      timestamp: at(1),
    },
    {
      ...common,
      template: corrected,
      action: 'update',
      changes: { oldValue: { total: 10 }, newValue: { total: 12 } },
      timestamp: at(1),
    },
  ]);
  await service.log({
    ...common,
    template: shipped,
    action: 'update',
    changes: { oldValue: { status: 'paid' }, newValue: { status: 'shipped' } },
    timestamp: at(2),
  });
}
