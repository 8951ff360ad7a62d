import { describeSuite } from '@eventlog/conformance';
import { EventLogService, StorageError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import { knexStorage } from '../src/index';
import { backends, randomTable } from './support';

// knex writes a failed statement, every bound value included, in front of the driver's message.

describe('StorageError messages from knex', () => {
  for (const backend of backends) {
    describeSuite(backend.name, backend, () => {
      it('are short and name the operation; the statement and its values stay on the cause', async () => {
        const { knex, close } = await backend.open();
        try {
          // A table that does not exist: the insert reaches the database and fails there.
          const service = new EventLogService(knexStorage(knex, { tableName: randomTable() }));
          const payload = `v${'x'.repeat(1024 * 1024)}`;
          const error = await service
            .logMany(
              [0, 1].map((n) => ({
                template: `n${n}`,
                metadata: { payload },
                tool: 't',
                action: 'create',
              })),
            )
            .catch((e: unknown) => e);
          expect(error).toBeInstanceOf(StorageError);
          const { message, operation, cause } = error as StorageError;
          expect(operation).toBe('insert');
          expect(message).toMatch(/^knex storage failed during insert: /);
          expect(message.length).toBeLessThan(300);
          expect(message).not.toContain('xxxxxxxx');
          expect(message).not.toMatch(/insert into/i);
          // pg's statement has placeholders; the others write the values in.
          expect(String((cause as { sql?: unknown }).sql)).toMatch(/^insert into/i);
          const read = await service.list({ tool: 't' }).catch((e: unknown) => e);
          expect((read as StorageError).message.length).toBeLessThan(300);
        } finally {
          await close();
        }
      });
    });
  }
});
