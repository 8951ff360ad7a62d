import { ValidationError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { at, newEntry, uid, useHarness } from './support';

/** The per-object log (`GET /items/:id/log`): only that object's entries, newest first. */
export function objectLogTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('per-object listing', () => {
    const s = useHarness(options);

    it('listForObject() returns only the entries of that object, for refs and instances', async () => {
      const id = uid('item');
      const other = uid('item');
      await s
        .harness()
        .storage.insert([
          newEntry({ objectType: 'Item', objectId: id, timestamp: at(1), message: 'created' }),
          newEntry({ objectType: 'Item', objectId: other, timestamp: at(2), message: 'other' }),
          newEntry({ objectType: 'Invoice', objectId: id, timestamp: at(3), message: 'same id' }),
          newEntry({ objectType: 'Item', objectId: id, timestamp: at(4), message: 'updated' }),
          newEntry({ timestamp: at(5), message: 'no object' }),
        ]);
      class Item {
        constructor(readonly id: string) {}
      }
      for (const object of [{ type: 'Item', id }, new Item(id)]) {
        const page = await s.service().listForObject(object, { withCount: true });
        expect(page.results.map((e) => e.message)).toEqual(['updated', 'created']);
        expect(page.count).toBe(2);
      }
      const asc = await s.service().listForObject({ type: 'Item', id }, { order: 'asc', limit: 1 });
      expect(asc.results.map((e) => e.message)).toEqual(['created']);
      expect(asc.nextCursor).not.toBeNull();
    });

    it('log() stores the object an instance or a ref points to', async () => {
      class Certificate {
        constructor(
          readonly id: number,
          readonly name: string,
        ) {}
      }
      const cert = new Certificate(Number.parseInt(uid('').slice(2, 8), 16), 'A');
      const entry = await s.service().log({
        template: 'Certificate {c__name} issued',
        values: { c__name: cert },
        object: cert,
        tool: uid('tool'),
        action: 'create',
      });
      expect(entry).toMatchObject({ objectType: 'Certificate', objectId: String(cert.id) });
      const page = await s.service().listForObject({ type: 'Certificate', id: cert.id });
      expect(page.results.map((e) => e.id)).toEqual([entry.id]);
    });

    it('a bare string or number is not an object', async () => {
      for (const object of ['Item:1', 42]) {
        const error = await s
          .service()
          .listForObject(object)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues[0]?.path[0]).toBe('object');
      }
    });
  });
}
