import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  EventLogService,
  type LogInput,
  ValidationError,
} from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { query, uid, useHarness } from './support';

function deep(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < levels; i++) value = { d: value };
  return value;
}

/**
 * The payload limits are configurable both ways, through a service on the real storage: a tighter
 * limit refuses what the default stores, a looser one stores whole what the default refuses.
 * (Refusing cyclic, 10,000-deep, 50 MB and 1,000,000-key payloads is core's validation, before
 * any storage is called: core's own tests cover it once.)
 */
export function hostilePayloadTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('payload limits', () => {
    const s = useHarness(options);

    async function refused(service: EventLogService<Tx>, input: LogInput, path: RegExp) {
      const error = await service.log(input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      const issue = (error as ValidationError).issues[0];
      expect(issue?.path.join('.')).toMatch(path);
      return (error as ValidationError).message;
    }

    async function countTool(tool: string) {
      return (await s.harness().storage.find(query({ tool, withCount: true }))).count;
    }

    it('limits are configurable: tighter refuses what the default stores, looser stores what it refuses', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const base = { template: 'x', tool, action: 'update' };
      const medium = { oldValue: {}, newValue: { blob: 'y'.repeat(10_000), tower: deep(20) } };

      const tight = new EventLogService(h.storage, { limits: { maxPayloadBytes: 5_000 } });
      await refused(tight, { ...base, changes: medium }, /^changes$/);
      const shallow = new EventLogService(h.storage, { limits: { maxDepth: 10 } });
      await refused(shallow, { ...base, changes: medium }, /^changes\.newValue\.tower\.d/);
      expect(await countTool(tool)).toBe(0);
      const stored = await s.service().log({ ...base, changes: medium });
      expect((await h.readRaw(stored.id))?.changes).toEqual(medium);

      // Just over the 4 MiB default: refused by default, stored whole with a larger limit.
      const large = { oldValue: {}, newValue: { blob: 'z'.repeat(DEFAULT_MAX_PAYLOAD_BYTES) } };
      await refused(s.service(), { ...base, changes: large }, /^changes$/);
      const roomy = new EventLogService(h.storage, {
        limits: { maxPayloadBytes: 2 * DEFAULT_MAX_PAYLOAD_BYTES },
      });
      const big = await roomy.log({ ...base, changes: large });
      expect((await h.readRaw(big.id))?.changes?.newValue.blob).toBe(large.newValue.blob);
      expect(await countTool(tool)).toBe(2);
    });
  });
}
