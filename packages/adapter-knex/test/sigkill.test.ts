import { describeSuite } from '@eventlog/conformance';
import { EventLogService } from '@eventlog/core';
import { expect, it } from 'vitest';
import { knexStorage } from '../src/index';
import { sharedDatabases } from './multi-process';
import { spawnWriter, storedByEventId } from './workers/spawn';

// A writer process killed with SIGKILL in the middle of its write loop loses
// nothing it acknowledged, and leaves the database usable.

for (const database of sharedDatabases) {
  describeSuite(
    `writer killed with SIGKILL on ${database.name}`,
    { name: database.name, unavailable: database.unavailable },
    () => {
      it('every entry acknowledged before the kill is present afterwards, exactly once', async () => {
        const { knex, db, table, close } = await database.open();
        const writer = spawnWriter({ db, table, name: 'killed', writers: 16, each: 0 });
        try {
          // Let it run well into the loop: 16 writes are in flight whenever the kill lands.
          await writer.acked(300);
          writer.child.kill('SIGKILL');
          const exit = await writer.exited;
          expect(exit.signal).toBe('SIGKILL');

          const acks = new Map(writer.acks);
          expect(acks.size).toBeGreaterThanOrEqual(300);
          expect([...writer.fails]).toEqual([]);
          const stored = await storedByEventId(knex, table);
          for (const [eventId, id] of acks) expect(stored.get(eventId), eventId).toEqual([id]);
          // At most the writes in flight at the kill may have committed without their ack.
          expect(stored.size - acks.size).toBeGreaterThanOrEqual(0);
          expect(stored.size - acks.size).toBeLessThanOrEqual(16);

          if (db.startsWith('sqlite:')) {
            // The killed process may have left a hot journal: SQLite rolls it back on open.
            expect(await knex.raw('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
          }
          // The log keeps working after the crash.
          const after = await new EventLogService(knexStorage(knex, { tableName: table })).log({
            template: 'after the crash',
            tool: 'load',
            action: 'create',
          });
          expect((await storedByEventId(knex, table)).size).toBe(stored.size + 1);
          expect(after.id).not.toBe('');
        } finally {
          if (writer.child.exitCode === null && writer.child.signalCode === null) {
            writer.child.kill('SIGKILL');
          }
          await close();
        }
      });
    },
  );
}
