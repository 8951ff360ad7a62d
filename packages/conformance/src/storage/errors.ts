import { EventLogService, StorageError, ValidationError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { uid } from './support';

/** A failing backend reaches the caller as a `StorageError` naming the adapter, with the cause. */
export function errorTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  const broken = options.broken;
  const title = broken
    ? 'errors from a broken backend'
    : 'errors from a broken backend — skipped: the adapter test gave no broken() storage';
  describe.skipIf(!broken)(title, () => {
    async function service() {
      const storage = await (broken as NonNullable<typeof broken>)();
      return { storage, service: new EventLogService(storage) };
    }

    async function expectStorageError(run: Promise<unknown>, adapter: string, operation: string) {
      const error = await run.then(
        () => {
          throw new Error('expected a StorageError, but the call succeeded');
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StorageError);
      const se = error as StorageError;
      expect(se.code).toBe('STORAGE_ERROR');
      expect(se.adapter).toBe(adapter);
      expect(se.operation).toBe(operation);
      expect(se.cause).toBeDefined();
      expect(se.message).toContain(adapter);
    }

    it('log() and logMany() throw StorageError with the cause', async () => {
      const { storage, service: svc } = await service();
      const input = { template: 'x', tool: uid('tool'), action: 'create' };
      await expectStorageError(svc.log(input), storage.name, 'insert');
      await expectStorageError(svc.logMany([input, input]), storage.name, 'insert');
    });

    it('list(), get() and purge() throw StorageError with the cause', async () => {
      const { storage, service: svc } = await service();
      await expectStorageError(svc.list({ tool: uid('tool') }), storage.name, 'find');
      // An id of a foreign shape may be answered null without I/O; one of these has the
      // adapter's shape (SQL sequences, ObjectId hex, UUID), so it must reach the backend.
      const outcomes = await Promise.all(
        ['1', '5f8d0d55b54764421b7156c9', '0b6a1c52-3f6f-4f0e-9a59-6f1f3c1b2a10'].map((id) =>
          svc.get(id).then(
            (found) => ({ found }),
            (error: unknown) => ({ error }),
          ),
        ),
      );
      const errors = outcomes.flatMap((o) => ('error' in o ? [o.error] : []));
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) {
        await expectStorageError(Promise.reject(error), storage.name, 'get');
      }
      for (const o of outcomes) if ('found' in o) expect(o.found).toBeNull();
      await expectStorageError(svc.purge({ before: new Date(0) }), storage.name, 'deleteBefore');
    });

    it('bad input is still a ValidationError, found before the backend is touched', async () => {
      const { service: svc } = await service();
      await expect(svc.log({ template: 'x', tool: '', action: 'create' })).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(svc.list({ limit: -5 })).rejects.toBeInstanceOf(ValidationError);
    });
  });
}
