import { describeSuite } from '@eventlog/conformance';
import { EventLogService, StorageError, TemplateError } from '@eventlog/core';
import type { Knex } from 'knex';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createEventLogTable, knexStorage } from '../src/index';
import { backends, randomTable } from './support';

for (const backend of backends) {
  describeSuite(
    `business transactions on ${backend.name}`,
    { name: backend.name, unavailable: backend.unavailable },
    () => {
      let knex: Knex;
      let close: () => Promise<void>;
      let table: string;
      let items: string;
      let service: EventLogService<Knex.Transaction>;

      beforeEach(async () => {
        ({ knex, close } = await backend.open());
        table = randomTable();
        items = `items_${table}`;
        await createEventLogTable(knex, { tableName: table });
        await knex.schema.createTable(items, (t) => {
          t.increments('id');
          t.string('name').notNullable();
        });
        service = new EventLogService(knexStorage(knex, { tableName: table }));
      });
      afterEach(async () => {
        if (knex.client.pool) {
          await knex.schema.dropTableIfExists(items);
          await knex.schema.dropTableIfExists(table);
        }
        await close();
      });

      const counts = async () => ({
        items: Number((await knex(items).count({ n: '*' }))[0]?.n),
        logs: Number((await knex(table).count({ n: '*' }))[0]?.n),
      });

      const logUpdate = (trx: Knex.Transaction, id: number) =>
        service.log(
          {
            template: 'Item {item__name} was created',
            values: { item__name: { name: 'Pen' } },
            object: { type: 'Item', id },
            actor: { id: 'u1', label: 'John' },
            tool: 'items',
            action: 'create',
          },
          { transaction: trx },
        );

      it('commits the business row and the log entry together', async () => {
        const logged = await knex.transaction(async (trx) => {
          const [row] = (await trx(items).insert({ name: 'Pen' }).returning('id')) as {
            id: number;
          }[];
          return logUpdate(trx, row?.id ?? 0);
        });
        expect(await counts()).toEqual({ items: 1, logs: 1 });
        expect(logged.message).toBe('Item Pen was created');
        expect(await service.get(logged.id)).toEqual(logged);
      });

      it('rolls back both when the work throws after log()', async () => {
        await expect(
          knex.transaction(async (trx) => {
            const [row] = (await trx(items).insert({ name: 'Pen' }).returning('id')) as {
              id: number;
            }[];
            await logUpdate(trx, row?.id ?? 0);
            throw new Error('business failure after log()');
          }),
        ).rejects.toThrow('business failure after log()');
        expect(await counts()).toEqual({ items: 0, logs: 0 });
      });

      it('rolls back the business row when log() throws inside the transaction', async () => {
        await expect(
          knex.transaction(async (trx) => {
            await trx(items).insert({ name: 'Pen' });
            // A template placeholder missing from `values`: log() throws inside the transaction.
            await service.log(
              { template: 'Item {item__name}', tool: 't', action: 'a' },
              { transaction: trx },
            );
          }),
        ).rejects.toBeInstanceOf(TemplateError);
        expect(await counts()).toEqual({ items: 0, logs: 0 });
      });

      it('gives a StorageError naming knex, with the cause, once the pool is destroyed', async () => {
        await knex.destroy();
        const error = await service
          .log({ template: 'x', tool: 't', action: 'a' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StorageError);
        expect((error as StorageError).adapter).toBe('knex');
        expect((error as StorageError).cause).toBeInstanceOf(Error);
        await expect(service.list()).rejects.toBeInstanceOf(StorageError);
      });
    },
  );
}
