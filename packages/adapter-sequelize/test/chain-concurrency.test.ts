import { describeSuite } from '@eventlog/conformance';
import { EventLogService } from '@eventlog/core';
import { expect, it } from 'vitest';
import { createEventLogTable, sequelizeStorage } from '../src/index';
import { postgres, randomTable } from './support';

// PostgreSQL only: Sequelize's SQLite dialect opens one connection per transaction without a busy
// timeout, so concurrent writers there fail fast with SQLITE_BUSY instead of waiting their turn.
describeSuite(
  `concurrent chained appends on PostgreSQL`,
  { name: postgres.name, unavailable: postgres.unavailable },
  () => {
    it('16 concurrent log() calls on two Sequelize instances append one gap-free chain', async () => {
      const db = await postgres.open();
      const other = db.connect();
      const table = randomTable();
      try {
        await createEventLogTable(db.sequelize, { tableName: table });
        const services = [db.sequelize, other].map(
          (sequelize) =>
            new EventLogService(sequelizeStorage(sequelize, { tableName: table }), {
              integrity: {},
            }),
        );
        const stored = await Promise.all(
          Array.from({ length: 16 }, (_, n) =>
            services[n % 2]?.log({ template: `entry ${n}`, tool: 'items', action: 'update' }),
          ),
        );
        expect(stored.map((e) => e?.seq).sort((a, b) => Number(a) - Number(b))).toEqual(
          Array.from({ length: 16 }, (_, i) => i + 1),
        );
        expect(await services[0]?.verify()).toMatchObject({
          ok: true,
          partitions: [{ partition: 'default', ok: true, checked: 16 }],
        });
      } finally {
        await other.close();
        await db.close();
      }
    });
  },
);
