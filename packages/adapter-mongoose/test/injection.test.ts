import { describeSuite } from '@eventlog/conformance';
import { ValidationError } from '@eventlog/core';
import { eventLogQuerySchema, type StorageQuery } from '@eventlog/core/storage';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { entry } from './fixtures';
import { closeConnection, createHarness, serverLabel, target } from './harness';

// Operator objects a caller could smuggle in where a string belongs. Each would match every entry
// (or run code) if it reached MongoDB as an operator.
const operators: Record<string, unknown> = {
  $ne: { $ne: null },
  $gt: { $gt: '' },
  $regex: { $regex: '.*' },
  $where: { $where: 'true' },
  $nor: { $nor: [{ tool: 'none' }] },
  $exists: { $exists: true },
  $in: { $in: [null, 'x'] },
};

// Calls the adapter directly, as a caller without core's zod schema would, with the operator
// forced past the types.
function rawQuery(field: string, value: unknown): StorageQuery {
  const base = eventLogQuerySchema.parse({ withCount: true });
  return { ...base, [field]: value } as unknown as StorageQuery;
}

describeSuite(
  `mongoose query values are scalars (${serverLabel})`,
  { name: 'mongoose', unavailable: target.unavailable },
  () => {
    let h: Awaited<ReturnType<typeof createHarness>>;
    beforeEach(async () => {
      h = await createHarness();
      await h.storage.insert([
        entry({ actorId: 'u1', objectType: 'Item', objectId: '1', message: 'one' }),
        entry({ actorId: null, message: 'two' }),
      ]);
    });
    afterEach(() => h.close());
    afterAll(closeConnection);

    const fields = ['actorId', 'objectType', 'objectId', 'search'] as const;
    for (const field of fields) {
      for (const [name, value] of Object.entries(operators)) {
        it(`refuses ${name} as ${field}`, async () => {
          const error = await h.storage.find(rawQuery(field, value)).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).issues[0]?.path[0]).toBe(field);
        });
      }
    }

    for (const field of ['tool', 'action'] as const) {
      for (const [name, value] of Object.entries(operators)) {
        it(`refuses ${name} as ${field}, alone or inside the list`, async () => {
          for (const shape of [value, [value], ['ok', value]]) {
            const error = await h.storage.find(rawQuery(field, shape)).catch((e: unknown) => e);
            expect(error).toBeInstanceOf(ValidationError);
            expect((error as ValidationError).issues[0]?.path[0]).toBe(field);
          }
        });
      }
    }

    it('refuses operators as dates, cursor, limit and offset', async () => {
      for (const [field, value] of [
        ['from', { $gt: '' }],
        ['to', '2026-01-01'],
        ['cursor', { $ne: null }],
        ['limit', { $gt: 0 }],
        ['offset', '1'],
      ] as const) {
        await expect(h.storage.find(rawQuery(field, value))).rejects.toThrow(ValidationError);
      }
    });

    it('refuses operators in deleteBefore and deletes nothing', async () => {
      const cutoff = new Date('2100-01-01');
      for (const tool of [{ $ne: null }, [{ $ne: null }]]) {
        await expect(
          h.storage.deleteBefore(cutoff, { tool: tool as unknown as string[] }),
        ).rejects.toThrow(ValidationError);
      }
      await expect(h.storage.deleteBefore({ $gt: '' } as unknown as Date)).rejects.toThrow(
        ValidationError,
      );
      expect((await h.storage.find(rawQuery('withCount', true))).count).toBe(2);
    });

    it('answers null for operator-shaped ids and eventIds', async () => {
      expect(await h.storage.get({ $ne: null } as unknown as string)).toBeNull();
      await expect(h.storage.findByEventId!({ $ne: null } as unknown as string)).rejects.toThrow(
        ValidationError,
      );
    });

    it('still matches a value that merely looks like an operator', async () => {
      await h.storage.insert([entry({ actorId: '{"$ne":null}', message: '$where: {$ne}' })]);
      const page = await h.storage.find(rawQuery('actorId', '{"$ne":null}'));
      expect(page.results.map((r) => r.message)).toEqual(['$where: {$ne}']);
      const search = await h.storage.find(rawQuery('search', '{$NE}'));
      expect(search.count).toBe(1);
    });
  },
);
