import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  EventLogService,
  type LogInput,
  TemplateError,
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

// Built once per test file: a million keys cost a second to make, and every adapter reuses them.
let millionKeys: Record<string, number> | undefined;
function oneMillionKeys(): Record<string, number> {
  if (!millionKeys) {
    millionKeys = {};
    for (let i = 0; i < 1_000_000; i++) millionKeys[`k${i}`] = i;
  }
  return millionKeys;
}

/**
 * Cyclic sides, 10,000-deep nesting, a 50 MB and a 1,000,000-key `changes`
 * give a `ValidationError` naming the field through a service on the real storage, and nothing
 * is stored; the limits are configurable both ways.
 */
export function hostilePayloadTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('hostile payloads (cycles, depth, size, key count)', () => {
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

    it('cyclic old or new side: a ValidationError naming the cycle, nothing stored', async () => {
      const tool = uid('tool');
      const cyclic: Record<string, unknown> = { name: 'a' };
      cyclic.self = { back: cyclic };
      for (const changes of [
        { oldValue: cyclic, newValue: {} },
        { oldValue: {}, newValue: { list: [cyclic] } },
      ]) {
        const message = await refused(
          s.service(),
          { template: 'x', tool, action: 'update', changes },
          /^changes\.(oldValue|newValue)\./,
        );
        expect(message).toMatch(/cycle/);
      }
      expect(await countTool(tool)).toBe(0);
    });

    it('10,000-deep nesting in changes, values or metadata: a ValidationError, no stack overflow', async () => {
      const tool = uid('tool');
      const base = { template: 'x', tool, action: 'update' };
      const tower = deep(10_000);
      await refused(
        s.service(),
        { ...base, changes: { oldValue: {}, newValue: tower } },
        /^changes\.newValue\.d/,
      );
      await refused(s.service(), { ...base, metadata: tower }, /^metadata\.d/);
      // values are what placeholders read: the template renders them, so its error is typed too.
      const error = await s
        .service()
        .log({ ...base, template: 'Deep {v}', values: { v: tower } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).placeholder).toBe('v');
      expect(await countTool(tool)).toBe(0);
    });

    it('a 50 MB changes: a ValidationError on changes, nothing stored', async () => {
      const tool = uid('tool');
      const blob = 'x'.repeat(50 * 1024 * 1024);
      const message = await refused(
        s.service(),
        { template: 'x', tool, action: 'update', changes: { oldValue: {}, newValue: { blob } } },
        /^changes$/,
      );
      expect(message).toContain(String(DEFAULT_MAX_PAYLOAD_BYTES));
      expect(await countTool(tool)).toBe(0);
    });

    it('a 1,000,000-key changes: a ValidationError on changes, nothing stored', async () => {
      const tool = uid('tool');
      await refused(
        s.service(),
        {
          template: 'x',
          tool,
          action: 'update',
          changes: { oldValue: oneMillionKeys(), newValue: {} },
        },
        /^changes$/,
      );
      expect(await countTool(tool)).toBe(0);
    });

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
