import { type LogInput, runWithContext, ValidationError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { query, uid, useHarness } from './support';

/**
 * A lone UTF-16 surrogate is legal in a JS string and in JSON (`"\ud800"`) but has no UTF-8 form:
 * drivers would rewrite it to U+FFFD (SQLite, MongoDB) or fail (PostgreSQL jsonb), so the entry
 * would not be what was logged. Every adapter refuses it the same way, before anything is written:
 * a `ValidationError` naming the field. Surrogate pairs (emoji) are stored as given.
 */
export function loneSurrogateTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('lone UTF-16 surrogates', () => {
    const s = useHarness(options);

    async function countTool(tool: string) {
      return (await s.harness().storage.find(query({ tool, withCount: true }))).count;
    }

    it('log() refuses a lone surrogate in any stored field with a ValidationError naming it', async () => {
      const tool = uid('tool');
      const base = { template: 'x', tool, action: 'create' };
      const cases: [Record<string, unknown>, string][] = [
        [{ template: 'a\ud800b' }, 'template'],
        [{ template: 'pair half \udfff' }, 'template'],
        [{ template: '{v}', values: { v: 'x\udc00' } }, 'values.v'],
        [{ template: '{v__name}', values: { v__name: { name: '\ud83d' } } }, 'values.v__name'],
        [{ metadata: { 'k\ud800': 1 } }, 'metadata.k\ud800'],
        [{ metadata: { list: ['ok', { deep: '\udbff' }] } }, 'metadata.list.1.deep'],
        [{ changes: { oldValue: {}, newValue: { name: 'a\ud800' } } }, 'changes.newValue.name'],
        [{ changes: { oldValue: { '\udc00': 1 }, newValue: {} } }, 'changes.oldValue.\udc00'],
        [{ tool: 'to\ud800ol' }, 'tool'],
        [{ action: '\udfffupdate' }, 'action'],
        [{ eventId: 'evt-\ud800' }, 'eventId'],
        [{ actor: { id: 'u\ud800', label: 'Ann' } }, 'actor'],
        [{ actor: { id: 'u1', label: 'Ann \udc00' } }, 'actor'],
        [{ object: { type: 'It\ud800em', id: '1' } }, 'object'],
        [{ object: { type: 'Item', id: '1\udfff' } }, 'object'],
      ];
      for (const [override, path] of cases) {
        const input = { ...base, ...override } as LogInput;
        const error = await s
          .service()
          .log(input)
          .catch((e: unknown) => e);
        expect(error, path).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues[0]?.path.join('.'), path).toBe(path);
        expect((error as ValidationError).message, path).toMatch(/surrogate/);
      }
      expect(await countTool(tool)).toBe(0);
    });

    it('log() refuses a lone surrogate that the request context adds to metadata', async () => {
      const tool = uid('tool');
      const error = await runWithContext({ userAgent: 'agent \ud800', requestId: 'r1' }, () =>
        s.service().log({ template: 'x', tool, action: 'create' }),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]?.path.join('.')).toBe('metadata.userAgent');
      expect(await countTool(tool)).toBe(0);
    });

    it('logMany() refuses the whole batch and names the input', async () => {
      const tool = uid('tool');
      const error = await s
        .service()
        .logMany([
          { template: 'fine', tool, action: 'create' },
          { template: '{v}', values: { v: '\ud800' }, tool, action: 'create' },
        ])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]?.path.join('.')).toBe('1.values.v');
      expect(await countTool(tool)).toBe(0);
    });

    it('surrogate pairs (emoji) in every field are stored exactly', async () => {
      const h = s.harness();
      const tool = uid('tool🎉');
      const entry = await s.service().log({
        template: '👩‍👩‍👧 {v} \ud83d\ude00',
        values: { v: '🇹🇭' },
        tool,
        action: 'up🎉date',
        actor: { id: 'u🎉', label: 'Ann 🎉' },
        object: { type: 'It🎉em', id: '🎉1' },
        changes: { oldValue: { 'k🎉': '🎉' }, newValue: {} },
        metadata: { 'm🎉': ['🎉'] },
        eventId: uid('evt🎉'),
      });
      expect(entry.message).toBe('👩‍👩‍👧 🇹🇭 😀');
      expect(await h.readRaw(entry.id)).toEqual(entry);
      expect(await countTool(tool)).toBe(1);
    });
  });
}
