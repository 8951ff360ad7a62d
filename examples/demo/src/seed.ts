import type { EventLogService } from '@eventlog/core';
import type { Knex } from 'knex';
import type { ItemsModel } from './items';
import type { TeamsModel } from './teams';
import { USERS } from './users';

/** Small deterministic PRNG (mulberry32) so every first run seeds the same story. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ITEM_NAMES = ['Certificate', 'Inspection report', 'Safety manual', 'Permit', 'Invoice'];
const STATUSES = ['active', 'inactive', 'archived'] as const;

/**
 * Seeds a realistic sample on first run: a few hundred events over six weeks, across four
 * tools, standard and custom actions, and every demo user. Returns how many events the log holds
 * afterwards (it is empty before).
 */
export async function seedDemo(
  deps: { items: ItemsModel; teams: TeamsModel; eventlog: EventLogService<Knex.Transaction> },
  now = new Date(),
): Promise<number> {
  const rnd = random(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const start = now.getTime() - 42 * 24 * 3600 * 1000;
  const steps = 320;
  const at = (i: number) => new Date(start + (i / steps) * (now.getTime() - start - 3_600_000));
  const itemIds: number[] = [];
  const teamIds: number[] = [];

  for (let i = 0; i < steps; i++) {
    const user = pick(USERS);
    const roll = rnd();
    if (itemIds.length < 5 || roll < 0.15) {
      const item = await deps.items.create(
        { name: `${pick(ITEM_NAMES)} ${String.fromCharCode(65 + (i % 26))}-${i}`, quantity: i % 7 },
        user,
        at(i),
      );
      itemIds.push(item.id);
    } else if (roll < 0.6) {
      const kind = rnd();
      const patch =
        kind < 0.4
          ? { status: pick(STATUSES) }
          : kind < 0.75
            ? { quantity: Math.floor(rnd() * 100) }
            : { status: pick(STATUSES), quantity: Math.floor(rnd() * 100) };
      await deps.items.update(pick(itemIds), patch, user, {}, at(i));
    } else if (roll < 0.66 && itemIds.length > 10) {
      const id = itemIds.splice(Math.floor(rnd() * itemIds.length), 1)[0] as number;
      await deps.items.remove(id, user, at(i));
    } else if (teamIds.length < 3 || roll < 0.72) {
      const team = await deps.teams.create(
        { name: `Team ${pick(['North', 'South', 'Ops', 'Audit', 'Field'])} ${i}`, leadId: user.id },
        user,
        at(i),
      );
      teamIds.push(team.id);
    } else if (roll < 0.85) {
      await deps.teams.changeLead(pick(teamIds), pick(USERS).id, user, at(i));
    } else {
      await deps.eventlog.log({
        template: '{user__full_name} signed in.',
        values: { user__full_name: user },
        actor: user,
        tool: 'auth',
        action: 'login',
        metadata: { ip: `192.0.2.${1 + (i % 200)}`, userAgent: 'Mozilla/5.0 (demo seed)' },
        timestamp: at(i),
      });
    }
  }
  // An update that sets what an item already holds logs nothing, so count what was stored.
  return (await deps.eventlog.list({ limit: 1, withCount: true })).count ?? 0;
}
