import { EventLogService, TIMESTAMP_RANGE, ValidationError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { query, uid, useHarness } from './support';

const MIN = Date.parse(TIMESTAMP_RANGE.min);
const MAX = Date.parse(TIMESTAMP_RANGE.max);

/**
 * Every adapter holds every instant of `TIMESTAMP_RANGE` exactly (MySQL's DATETIME stops at years
 * 1000 and 9999, PostgreSQL has no year 0000); `log()` refuses an instant outside it, and a
 * `list()` bound outside it is a `ValidationError`, never a driver error or a wrong answer.
 */
export function timestampRangeTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('timestamp range', () => {
    const s = useHarness(options);

    async function countTool(tool: string) {
      return (await s.harness().storage.find(query({ tool, withCount: true }))).count;
    }

    it('both ends of the range are stored and read back exactly, and found by from/to', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const [first, last] = await s.service().logMany([
        { template: 'first', tool, action: 'create', timestamp: new Date(MIN) },
        { template: 'last', tool, action: 'create', timestamp: new Date(MAX) },
      ]);
      for (const [entry, time] of [
        [first, MIN],
        [last, MAX],
      ] as const) {
        expect(entry?.timestamp.getTime()).toBe(time);
        const raw = await h.readRaw(entry?.id ?? '');
        expect(raw?.timestamp.getTime()).toBe(time);
        expect((await h.storage.get(entry?.id ?? ''))?.timestamp.getTime()).toBe(time);
      }
      const all = await s.service().list({ tool, order: 'asc', from: new Date(MIN) });
      expect(all.results.map((e) => e.timestamp.getTime())).toEqual([MIN, MAX]);
      const before = await s.service().list({ tool, from: new Date(MIN), to: new Date(MAX) });
      expect(before.results.map((e) => e.id)).toEqual([first?.id]);
      const atEnd = await s.service().list({ tool, from: new Date(MAX), to: new Date(MAX) });
      expect(atEnd.results).toEqual([]);
      const fromEnd = await s.service().list({ tool, from: new Date(MAX) });
      expect(fromEnd.results.map((e) => e.id)).toEqual([last?.id]);
    });

    it('log() refuses one millisecond outside the range, and year 0000, naming timestamp', async () => {
      const tool = uid('tool');
      const outside = [MIN - 1, MAX + 1, Date.parse('0000-01-01T00:00:00.000Z'), -8.64e15, 8.64e15];
      for (const time of outside) {
        const error = await s
          .service()
          .log({ template: 'x', tool, action: 'create', timestamp: new Date(time) })
          .catch((e: unknown) => e);
        expect(error, String(time)).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues[0]?.path).toEqual(['timestamp']);
      }
      expect(await countTool(tool)).toBe(0);
    });

    it('a clock outside the range is refused too', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const service = new EventLogService(h.storage, { clock: () => new Date(MAX + 1) });
      const error = await service
        .log({ template: 'x', tool, action: 'create' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]?.path).toEqual(['timestamp']);
      expect(await countTool(tool)).toBe(0);
    });

    it('list() refuses a from/to bound outside the range with a ValidationError naming it', async () => {
      const tool = uid('tool');
      await s.service().log({ template: 'x', tool, action: 'create' });
      const bounds: [Record<string, Date>, string][] = [
        [{ from: new Date(MIN - 1) }, 'from'],
        [{ from: new Date(MAX + 1) }, 'from'],
        [{ to: new Date(MIN - 1) }, 'to'],
        [{ to: new Date(MAX + 1) }, 'to'],
        [{ from: new Date('0000-06-01T00:00:00.000Z') }, 'from'],
      ];
      for (const [bound, path] of bounds) {
        const error = await s
          .service()
          .list({ tool, ...bound })
          .catch((e: unknown) => e);
        expect(error, path).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues[0]?.path, path).toEqual([path]);
      }
    });
  });
}
