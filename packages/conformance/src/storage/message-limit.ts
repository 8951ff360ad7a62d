import { EventLogService, type LogInput, ValidationError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { query, uid, useHarness } from './support';

/**
 * The rendered message is held to `limits.maxPayloadBytes` like `changes`, `values` and
 * `metadata`: a template repeating a large value cannot store a message many times the limit,
 * nor reach the engine's string length limit (a bare `RangeError`), nor MongoDB's 16 MB document
 * limit. Each is a `ValidationError` on `message`, and nothing is stored.
 */
export function messageLimitTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('message size limit', () => {
    const s = useHarness(options);

    async function countTool(tool: string) {
      return (await s.harness().storage.find(query({ tool, withCount: true }))).count;
    }

    async function refusedOnMessage(service: EventLogService<Tx>, input: LogInput) {
      const error = await service.log(input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]?.path).toEqual(['message']);
      return (error as ValidationError).message;
    }

    it('a message over maxPayloadBytes is refused; one at the limit (in UTF-8 bytes) is stored', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const tight = new EventLogService(h.storage, { limits: { maxPayloadBytes: 1000 } });
      // 100 copies of a 100-byte value: each payload is small, the message is 10 kB.
      const message = await refusedOnMessage(tight, {
        template: '{v}'.repeat(100),
        values: { v: 'x'.repeat(100) },
        tool,
        action: 'create',
      });
      expect(message).toContain('1000');
      // 'é' is two bytes in UTF-8: 500 of them are exactly the limit, one more byte is over.
      const atLimit = await tight.log({ template: 'é'.repeat(500), tool, action: 'create' });
      expect((await h.readRaw(atLimit.id))?.message).toBe('é'.repeat(500));
      await refusedOnMessage(tight, { template: `${'é'.repeat(500)}x`, tool, action: 'create' });
      expect(await countTool(tool)).toBe(1);
    });

    it('a 40,000-character message (80,000 bytes: over a 64 KB text column) is stored exactly and verifies', async () => {
      const h = s.harness();
      const integrity = h.storage.capabilities.integrity === true;
      const service = new EventLogService(h.storage, integrity ? { integrity: {} } : {});
      const long = 'é'.repeat(40_000);
      const entry = await service.log({
        template: '{v}',
        values: { v: long },
        tool: uid('tool'),
        action: 'create',
      });
      expect((await h.readRaw(entry.id))?.message).toBe(long);
      expect((await service.get(entry.id))?.message).toBe(long);
      if (integrity) expect((await service.verify()).ok).toBe(true);
    });

    it('with the default limit, a 20 MiB message (over MongoDB 16 MB documents) is refused', async () => {
      const tool = uid('tool');
      await refusedOnMessage(s.service(), {
        template: '{v} '.repeat(20),
        values: { v: 'x'.repeat(1024 * 1024) },
        tool,
        action: 'create',
      });
      expect(await countTool(tool)).toBe(0);
    });

    it('a message past the engine string length limit is a ValidationError, not a RangeError', async () => {
      const tool = uid('tool');
      const tooLong = new EventLogService(s.harness().storage, {
        limits: { maxPayloadBytes: 2 ** 31 },
      });
      await refusedOnMessage(tooLong, {
        template: '{v}'.repeat(1100),
        values: { v: 'x'.repeat(1024 * 1024) },
        tool,
        action: 'create',
      });
      expect(await countTool(tool)).toBe(0);
    });
  });
}
