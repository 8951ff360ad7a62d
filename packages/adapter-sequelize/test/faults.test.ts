import { describeSuite } from '@eventlog/conformance';
import { EventLogAction, EventLogService, StorageError } from '@eventlog/core';
import { DataTypes, QueryTypes, type Transaction } from 'sequelize';
import { expect, it } from 'vitest';
import { createEventLogTable, sequelizeStorage } from '../src/index';
import { postgres, randomTable } from './support';

describeSuite(
  `sequelize: connection killed mid-transaction`,
  { name: postgres.name, unavailable: postgres.unavailable },
  () => {
    it('pg_terminate_backend: the caller gets the error and neither row exists', async () => {
      const db = await postgres.open();
      const { sequelize } = db;
      try {
        const table = randomTable();
        const Item = sequelize.define(
          'Item',
          { name: DataTypes.STRING },
          { tableName: `items_${table}`, timestamps: false },
        );
        await Item.sync();
        await createEventLogTable(sequelize, { tableName: table });
        const storage = sequelizeStorage(sequelize, { tableName: table });
        const service = new EventLogService<Transaction>(storage);

        const outcome = await sequelize
          .transaction(async (transaction) => {
            await Item.create({ name: 'Pen' }, { transaction });
            await service.log(
              { template: 'Pen created', tool: 'faults', action: EventLogAction.CREATE },
              { transaction },
            );
            const [row] = await sequelize.query<{ pid: number }>('SELECT pg_backend_pid() AS pid', {
              type: QueryTypes.SELECT,
              transaction,
            });
            // From another connection of the pool, as an operator or a failover would.
            await sequelize.query('SELECT pg_terminate_backend(:pid)', {
              replacements: { pid: row?.pid },
            });
            // The next statement on the killed connection, through the adapter: it must fail.
            await service.log(
              { template: 'after the kill', tool: 'faults', action: EventLogAction.CREATE },
              { transaction },
            );
          })
          .then(
            () => 'committed',
            (e: unknown) => e,
          );

        expect(outcome).toBeInstanceOf(StorageError);
        // pg reports the kill itself, or, when the socket closed before the statement was sent,
        // that the client is no longer queryable: either way the kill, not another failure.
        expect(String((outcome as StorageError).cause)).toMatch(
          /terminating connection|connection error and is not queryable/,
        );
        // Read through a fresh instance: the pool's killed connection must not answer for it.
        const check = db.connect();
        try {
          expect(await check.getQueryInterface().rawSelect(`items_${table}`, {}, 'id')).toBeNull();
          const [counted] = await check.query<{ n: string }>(
            `SELECT count(*) AS n FROM "${table}"`,
            { type: QueryTypes.SELECT },
          );
          expect(Number(counted?.n)).toBe(0);
          // The service works again on a healthy connection.
          const again = await new EventLogService(
            sequelizeStorage(check, { tableName: table }),
          ).log({ template: 'back', tool: 'faults', action: EventLogAction.CREATE });
          expect(again.id).toEqual(expect.any(String));
        } finally {
          await check.close();
        }
      } finally {
        await db.close();
      }
    });
  },
);
