import { describeSuite, isUniqueViolation } from '@eventlog/conformance';
import { ConfigurationError, EventLogService } from '@eventlog/core';
import { QueryTypes, type Sequelize } from 'sequelize';
import { expect, it } from 'vitest';
import { createEventLogTable, ensurePartitions, sequelizeStorage } from '../src/index';
import { entry, postgres, randomTable, sqliteFile } from './support';

/** The first instant of the UTC month `n` months after the current one. */
const month = (n: number, day = 1): Date => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + n, day));
};

/** How many partitions `parent` has (the DEFAULT one included), from pg_inherits. */
async function partitionCount(sequelize: Sequelize, parent: string): Promise<number> {
  const [row] = await sequelize.query<{ n: string }>(
    'SELECT COUNT(*) AS n FROM pg_inherits WHERE inhparent = to_regclass($1)',
    { bind: [parent], type: QueryTypes.SELECT },
  );
  return Number(row?.n);
}

describeSuite('sequelize PostgreSQL partitioned by month', postgres, () => {
  it('createEventLogTable makes the months, ensurePartitions adds what DEFAULT took, purge drops', async () => {
    const { sequelize, close } = await postgres.open();
    const tableName = randomTable();
    try {
      await createEventLogTable(sequelize, { tableName, partitionBy: 'month', monthsAhead: 1 });
      // Idempotent, like the plain table's.
      await createEventLogTable(sequelize, { tableName, partitionBy: 'month', monthsAhead: 1 });
      expect(await partitionCount(sequelize, tableName)).toBe(3);
      expect(await partitionCount(sequelize, `${tableName}_changed_keys`)).toBe(3);

      const storage = sequelizeStorage(sequelize, { tableName });
      const service = new EventLogService(storage);
      await storage.insert([entry({ timestamp: month(-2, 5), eventId: 'old' })]);
      await service.log({ template: 'kept', tool: 't', action: 'a', timestamp: month(0, 2) });
      expect(await ensurePartitions(sequelize, { tableName, monthsAhead: 1 })).toEqual([month(-2)]);
      expect(await ensurePartitions(sequelize, { tableName, monthsAhead: 1 })).toEqual([]);
      expect(await partitionCount(sequelize, tableName)).toBe(4);
      await expect(storage.insert([entry({ eventId: 'old' })])).rejects.toSatisfy(
        isUniqueViolation,
      );

      expect(await service.purge({ before: month(-1) })).toBe(1);
      expect(await partitionCount(sequelize, tableName)).toBe(3);
      expect((await service.list()).results.map((e) => e.message)).toEqual(['kept']);
      // The purged eventId is free again.
      await expect(storage.insert([entry({ eventId: 'old' })])).resolves.toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('refuses partitionBy off PostgreSQL', async () => {
    const { sequelize, close } = await sqliteFile.open();
    try {
      await expect(createEventLogTable(sequelize, { partitionBy: 'month' })).rejects.toThrow(
        ConfigurationError,
      );
    } finally {
      await close();
    }
  });
});
