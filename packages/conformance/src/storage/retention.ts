import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { newEntry, query, uid, useHarness } from './support';

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
  });
}
