import { EventLogService } from '@eventlog/core';
import { describe, expect, it, type TestContext } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { at, newEntry, query, uid, useHarness } from './support';

const year = (y: number, ms = 0) => new Date(Date.UTC(y, 0, 1) + ms);

/** Retention: `deleteBefore` is the only deletion; strict `<` cutoff; it returns the count. */
export function retentionTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('retention', () => {
    const s = useHarness(options);

    async function seed() {
      const keep = uid('keep');
      const drop = uid('drop');
      const stored = await s.harness().storage.insert([
        newEntry({ tool: drop, timestamp: year(2001) }),
        newEntry({ tool: drop, timestamp: year(2001, 500) }),
        newEntry({ tool: keep, timestamp: year(2001, 900) }),
        // Exactly at the cutoff: kept, the cutoff is exclusive.
        newEntry({ tool: drop, timestamp: year(2002) }),
        newEntry({ tool: keep, timestamp: year(2003) }),
      ]);
      return { keep, drop, stored };
    }

    async function remaining(tools: string[]) {
      return (await s.harness().storage.find(query({ tool: tools, withCount: true }))).count;
    }

    it('deletes every entry older than the cutoff and returns how many', async () => {
      const { keep, drop, stored } = await seed();
      expect(await s.harness().storage.deleteBefore(year(2002))).toBe(3);
      expect(await remaining([keep, drop])).toBe(2);
      expect(await s.harness().readRaw(stored[0]?.id ?? '')).toBeNull();
      expect(await s.harness().readRaw(stored[3]?.id ?? '')).toEqual(stored[3]);
    });

    it('with a tool filter deletes only those tools', async () => {
      const { keep, drop } = await seed();
      expect(await s.harness().storage.deleteBefore(year(2002), { tool: [drop] })).toBe(2);
      expect(await remaining([drop])).toBe(1);
      expect(await remaining([keep])).toBe(2);
    });

    it('returns 0 when nothing is old enough', async () => {
      const { keep, drop } = await seed();
      expect(await s.harness().storage.deleteBefore(year(2000))).toBe(0);
      expect(await s.harness().storage.deleteBefore(year(2030), { tool: [uid('x')] })).toBe(0);
      expect(await remaining([keep, drop])).toBe(5);
    });

    it('purge() through the service takes one tool or many', async () => {
      const { keep, drop } = await seed();
      expect(await s.service().purge({ before: year(2002), tool: drop })).toBe(2);
      expect(await s.service().purge({ before: year(2004), tool: [keep, drop] })).toBe(3);
      expect(await remaining([keep, drop])).toBe(0);
    });

    /** The harness's raw read of the changed-key index, or a skip saying the storage has none. */
    const indexReader = (ctx: TestContext) => {
      const read = s.harness().readChangedKeys;
      if (!read) ctx.skip('the storage keeps no changed-key index (no readChangedKeys hook)');
      return read as (id: string) => Promise<string[]>;
    };
    const touching = (key: string) => ({
      oldValue: { [key]: 1 },
      newValue: { [key]: 2, note: 'x' },
    });

    it('a purge deletes the changed-key index of the entries it deletes, and only theirs', async (ctx) => {
      const readChangedKeys = indexReader(ctx);
      const [a, b] = [uid('a'), uid('b')];
      const key = uid('key');
      const [oldA, oldB, recent] = await s
        .harness()
        .storage.insert([
          newEntry({ tool: a, timestamp: year(2001), changes: touching(key) }),
          newEntry({ tool: b, timestamp: year(2001, 1), changes: touching(key) }),
          newEntry({ tool: a, timestamp: year(2003), changes: touching(key) }),
        ]);
      const ids = [oldA, oldB, recent].map((e) => e?.id as string);
      const keys = () => Promise.all(ids.map((id) => readChangedKeys(id)));
      const both = [key, 'note'].sort();
      expect(await keys()).toEqual([both, both, both]);
      expect(await s.service().purge({ before: year(2002), tool: a })).toBe(1);
      expect(await keys()).toEqual([[], both, both]);
      expect(await s.service().purge({ before: year(2002) })).toBe(1);
      expect(await keys()).toEqual([[], [], both]);
      const found = await s.service().list({ changedKey: key });
      expect(found.results.map((e) => e.id)).toEqual([recent?.id]);
    });

    it('a purge that cuts a hash chain deletes the changed-key index of the cut entries', async (ctx) => {
      const readChangedKeys = indexReader(ctx);
      const { storage } = s.harness();
      if (storage.capabilities.integrity !== true) {
        ctx.skip(`${options.name} does not declare capabilities.integrity`);
      }
      const service = new EventLogService(storage, { integrity: {} });
      const key = uid('key');
      const entries = [];
      for (const n of [1, 2, 3]) {
        entries.push(
          await service.log({
            template: 'x',
            tool: 'items',
            action: 'update',
            changes: touching(key),
            timestamp: at(n),
          }),
        );
      }
      expect(await service.purge({ before: at(3) })).toBe(2);
      const keys = await Promise.all(entries.map((e) => readChangedKeys(e.id)));
      expect(keys).toEqual([[], [], [key, 'note'].sort()]);
    });
  });
}
