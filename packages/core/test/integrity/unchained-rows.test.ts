import { EventLogService, type MemoryStorage, memoryStorage } from '@eventlog/core';
import { describe, expect, it } from 'vitest';

// Rows stored with no chain in a log whose integrity is on: written outside eventlog, or before
// integrity was turned on. verify() reads them page by page (whole-log and one-partition verifies,
// not ranges) and reports those its partition function puts in a verified partition.

const entry = (tool: string) => ({ template: `In ${tool}`, tool, action: 'update' });

/** Logs `chained` entries per tool with integrity on, then `unchained` per tool without it. */
async function log(
  storage: MemoryStorage,
  service: EventLogService<unknown>,
  tools: Record<string, { chained: number; unchained: number }>,
): Promise<string[]> {
  const plain = new EventLogService(storage);
  const unchainedIds: string[] = [];
  for (const [tool, { chained, unchained }] of Object.entries(tools)) {
    for (let i = 0; i < chained; i++) await service.log(entry(tool));
    for (let i = 0; i < unchained; i++) unchainedIds.push((await plain.log(entry(tool))).id);
  }
  return unchainedIds;
}

const reason = (count: number, firstId: string) =>
  count === 1
    ? `1 row of this partition (first id ${firstId}) is stored outside the chain: written outside eventlog, or before integrity was turned on`
    : `${count} rows of this partition (first id ${firstId}) are stored outside the chain: written outside eventlog, or before integrity was turned on`;

describe('verify: rows stored outside the chain', () => {
  it('counts them over several pages, and names the first by id', async () => {
    const storage = memoryStorage();
    const service = new EventLogService(storage, { integrity: {} }) as EventLogService<unknown>;
    const ids = await log(storage, service, { items: { chained: 2, unchained: 3 } });
    const first = [...ids].sort()[0] as string;
    for (const pageSize of [1, 2, 3, 500]) {
      const result = await service.verify({ pageSize });
      expect(result, `pageSize ${pageSize}`).toMatchObject({
        ok: false,
        checked: 2,
        firstBroken: { partition: 'default', seq: 0, reason: reason(3, first) },
        partitions: [{ partition: 'default', unchained: { count: 3, firstId: first } }],
      });
    }
  });

  it('words a single row in the singular', async () => {
    const storage = memoryStorage();
    const service = new EventLogService(storage, { integrity: {} }) as EventLogService<unknown>;
    const [id] = await log(storage, service, { items: { chained: 1, unchained: 1 } });
    expect((await service.verify()).firstBroken?.reason).toBe(reason(1, id as string));
  });

  it('are not read for a from/to range, which checks links only', async () => {
    const storage = memoryStorage();
    const service = new EventLogService(storage, { integrity: {} }) as EventLogService<unknown>;
    await log(storage, service, { items: { chained: 3, unchained: 2 } });
    expect(await service.verify({ partition: 'default' })).toMatchObject({ ok: false });
    for (const range of [{ from: 1 }, { to: 3 }, { from: 2, to: 3 }]) {
      const result = await service.verify({ partition: 'default', ...range });
      expect(result, JSON.stringify(range)).toMatchObject({ ok: true });
      expect(result.partitions[0]?.unchained).toBeUndefined();
    }
  });

  it('are reported in their own partition only, skipping rows the partition function refuses', async () => {
    const storage = memoryStorage();
    const service = new EventLogService(storage, {
      integrity: {
        partition: (e) => {
          if (e.tool === 'refused') throw new Error('no partition for this tool');
          return e.tool;
        },
      },
    }) as EventLogService<unknown>;
    const ids = await log(storage, service, {
      refused: { chained: 0, unchained: 2 },
      a: { chained: 1, unchained: 0 },
      b: { chained: 1, unchained: 1 },
      unverified: { chained: 0, unchained: 1 },
    });
    const inB = ids[2] as string;
    const result = await service.verify({ pageSize: 1 });
    expect(result).toMatchObject({
      ok: false,
      checked: 2,
      firstBroken: { partition: 'b', seq: 0, reason: reason(1, inB) },
    });
    expect(result.partitions.map((p) => [p.partition, p.ok, p.unchained?.count])).toEqual([
      ['a', true, undefined],
      ['b', false, 1],
    ]);
    expect(await service.verify({ partition: 'a' })).toMatchObject({ ok: true, checked: 1 });
  });
});
