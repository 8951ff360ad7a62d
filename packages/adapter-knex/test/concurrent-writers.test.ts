import { describeSuite } from '@eventlog/conformance';
import { expect, it } from 'vitest';
import { sharedDatabases } from './multi-process';
import { spawnWriter, storedByEventId } from './workers/spawn';

// 32 concurrent writers in 2 real processes against one database; every
// acknowledged entry is present exactly once.

const EACH = 20;

for (const database of sharedDatabases) {
  describeSuite(
    `2 processes × 16 writers on one ${database.name}`,
    { name: database.name, unavailable: database.unavailable },
    () => {
      it('every acknowledged entry is present exactly once, under the id log() returned', async () => {
        const { knex, db, table, close } = await database.open();
        let processes: ReturnType<typeof spawnWriter>[] = [];
        try {
          processes = ['pa', 'pb'].map((name) =>
            spawnWriter({ db, table, name, writers: 16, each: EACH }),
          );
          const exits = await Promise.all(processes.map((p) => p.exited));
          for (const exit of exits) expect(exit, exit.stderr).toMatchObject({ code: 0 });

          const acks = new Map(processes.flatMap((p) => [...p.acks]));
          const fails = new Map(processes.flatMap((p) => [...p.fails]));
          // The busy timeout makes SQLite writers wait for the lock: none should fail.
          expect([...fails]).toEqual([]);
          expect(acks.size).toBe(2 * 16 * EACH);
          // Two acknowledged writes never share a row.
          expect(new Set(acks.values()).size).toBe(acks.size);

          const stored = await storedByEventId(knex, table);
          for (const [eventId, id] of acks) expect(stored.get(eventId), eventId).toEqual([id]);
          // Nothing was written that no one acknowledged or saw fail.
          for (const eventId of stored.keys()) {
            expect(acks.has(eventId) || fails.has(eventId), eventId).toBe(true);
          }
          expect(stored.size).toBe(acks.size);
        } finally {
          // A failed assertion must not leave a writer running.
          for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
          await close();
        }
      });
    },
  );
}
