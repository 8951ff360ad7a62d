import { StorageError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { at, compareEntries, newEntry, query, uid, useHarness, walk } from './support';

/** `list({ changedKey })`: entries whose `changes` touch a top-level key, any side. */
export function changedKeyTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('changed-key filter', () => {
    const s = useHarness(options);

    const seed = async (tool: string) => {
      const change = (oldValue: Record<string, unknown>, newValue: Record<string, unknown>) => ({
        oldValue,
        newValue,
      });
      return s.harness().storage.insert([
        newEntry({ tool, timestamp: at(1), changes: change({}, { status: 'new', name: 'A' }) }),
        newEntry({ tool, timestamp: at(2), changes: change({ name: 'A' }, { name: 'B' }) }),
        newEntry({ tool, timestamp: at(3), changes: change({ status: 'new' }, {}) }),
        newEntry({ tool, timestamp: at(3), changes: change({ status: 'a' }, { status: 'b' }) }),
        newEntry({ tool, timestamp: at(4), changes: null }),
        newEntry({ tool, timestamp: at(5), changes: change({ statusCode: 1 }, { statusCode: 2 }) }),
        newEntry({ tool, timestamp: at(6), changes: change({ a: { status: 1 } }, { a: {} }) }),
        newEntry({
          tool: uid('tool'),
          timestamp: at(7),
          changes: change({}, { status: 'elsewhere' }),
        }),
      ]);
    };

    it('returns exactly the entries touching the key, newest first, across cursor pages', async () => {
      const tool = uid('tool');
      const stored = await seed(tool);
      const want = [stored[0], stored[2], stored[3]]
        .map((e) => e as NonNullable<typeof e>)
        .sort(compareEntries)
        .reverse();
      const pages = await walk(s.harness().storage, {
        tool: [tool],
        changedKey: 'status',
        limit: 2,
      });
      expect(pages.map((p) => p.length)).toEqual([2, 1]);
      expect(pages.flat().map((e) => e.id)).toEqual(want.map((e) => e.id));
      const asc = await walk(s.harness().storage, {
        changedKey: ['status'],
        order: 'asc',
        limit: 1,
      });
      const mine = asc.flat().filter((e) => e.tool === tool);
      expect(mine.map((e) => e.id)).toEqual([...want].reverse().map((e) => e.id));
      const page = await s
        .harness()
        .storage.find(query({ tool: [tool], changedKey: 'status', withCount: true, limit: 1 }));
      expect(page.count).toBe(3);
    });

    it('several keys match any of them, each entry once', async () => {
      const tool = uid('tool');
      const stored = await seed(tool);
      const pages = await walk(s.harness().storage, {
        tool: [tool],
        changedKey: ['status', 'name', 'missing'],
        limit: 3,
      });
      const got = pages.flat().map((e) => e.id);
      expect(new Set(got).size).toBe(got.length);
      expect([...got].sort()).toEqual(
        [stored[0], stored[1], stored[2], stored[3]].map((e) => e?.id as string).sort(),
      );
      const none = await s.service().list({ tool: [tool], changedKey: uid('key') });
      expect(none.results).toEqual([]);
    });

    it('the upgrade to changed-key indexing indexes the entries stored before it', async (ctx) => {
      const { historyMigration, readChangedKeys } = s.harness();
      if (!historyMigration) {
        ctx.skip('the storage keeps no changed-key index (no historyMigration hook)');
        return;
      }
      const tool = uid('tool');
      const stored = await seed(tool);
      await historyMigration.down();
      await historyMigration.up();
      const want = [stored[3], stored[2], stored[0]].map((e) => e?.id);
      const pages = await walk(s.harness().storage, {
        tool: [tool],
        changedKey: 'status',
        limit: 2,
      });
      expect(pages.flat().map((e) => e.id)).toEqual(want);
      const any = await s.service().list({ tool: [tool], changedKey: ['name', 'statusCode'] });
      expect(any.results.map((e) => e.id)).toEqual(
        [stored[5], stored[1], stored[0]].map((e) => e?.id),
      );
      if (readChangedKeys) {
        expect(await readChangedKeys(stored[0]?.id as string)).toEqual(['name', 'status']);
      }
      // The entries are unchanged, and entries written after the upgrade are indexed as before.
      expect(await s.harness().readRaw(stored[1]?.id as string)).toEqual(stored[1]);
      const later = await s.service().log({
        template: 'x',
        tool,
        action: 'update',
        changes: { oldValue: { status: 'b' }, newValue: { status: 'c' } },
      });
      const after = await s.service().list({ tool: [tool], changedKey: 'status', limit: 1 });
      expect(after.results.map((e) => e.id)).toEqual([later.id]);
    });

    it('a log() whose changed-keys row fails keeps no entry, alone or in a transaction', async (ctx) => {
      const h = s.harness();
      const { refuseChangedKey } = h;
      if (refuseChangedKey === undefined) {
        ctx.skip('the changed keys are not a write of their own (no refuseChangedKey hook)');
        return;
      }
      const tool = uid('tool');
      const refused = uid('key');
      await refuseChangedKey(refused);
      const input = {
        template: 'x',
        tool,
        action: 'update',
        changes: { oldValue: { a: 1 }, newValue: { a: 2, [refused]: 1 } },
      };
      await expect(s.service().log(input)).rejects.toBeInstanceOf(StorageError);
      if (h.storage.capabilities.transactions && h.withTransaction !== undefined) {
        // The caller goes on after the failure and commits: the failed log() still kept nothing.
        await h.withTransaction(async (tx) => {
          await s
            .service()
            .log(input, { transaction: tx })
            .catch(() => undefined);
        });
      }
      expect((await s.service().list({ tool: [tool] })).results).toEqual([]);
      expect((await s.service().list({ changedKey: 'a', tool: [tool] })).results).toEqual([]);
    });

    it('a rolled-back insert leaves nothing for the filter to find', async (ctx) => {
      const { withTransaction, storage } = s.harness();
      if (!storage.capabilities.transactions || withTransaction === undefined) {
        ctx.skip('storage does not declare the transactions capability (or no withTransaction)');
      }
      const tool = uid('tool');
      const key = uid('key');
      await withTransaction?.(async (tx) => {
        await s.service().log(
          {
            template: 'x',
            tool,
            action: 'update',
            changes: { oldValue: {}, newValue: { [key]: 1 } },
          },
          { transaction: tx },
        );
        throw new Error('roll back');
      }).catch(() => undefined);
      expect((await s.service().list({ changedKey: key })).results).toEqual([]);
      const kept = await s.service().log({
        template: 'x',
        tool,
        action: 'update',
        changes: { oldValue: { [key]: 1 }, newValue: {} },
      });
      const found = await s.service().list({ changedKey: key });
      expect(found.results.map((e) => e.id)).toEqual([kept.id]);
    });
  });
}
