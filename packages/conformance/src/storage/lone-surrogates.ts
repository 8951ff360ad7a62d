import { type LogInput, runWithContext, ValidationError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { query, uid, useHarness } from './support';

/**
 * A lone UTF-16 surrogate is legal in a JS string and in JSON (`"\ud800"`) but has no UTF-8 form:
 * drivers would rewrite it to U+FFFD (SQLite, MongoDB) or fail (PostgreSQL jsonb), so the entry
 * would not be what was logged. Every adapter refuses it the same way, before anything is written:
 * a `ValidationError` naming the field. Surrogate pairs (emoji) are stored as given, and an actor
 * label that core cuts to 255 characters is cut between code points, never inside a pair.
 */
export function loneSurrogateTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('lone UTF-16 surrogates', () => {
    const s = useHarness(options);

    async function countTool(tool: string) {
      return (await s.harness().storage.find(query({ tool, withCount: true }))).count;
    }

    it('log() refuses a lone surrogate in a text column, a payload value and a key, naming it', async () => {
      // One case per way a field reaches storage; core's tests cover every field.
      const tool = uid('tool');
      const base = { template: 'x', tool, action: 'create' };
      const cases: [Record<string, unknown>, string][] = [
        [{ template: 'a\ud800b' }, 'template'],
        [{ template: '{v}', values: { v: 'x\udc00' } }, 'values.v'],
        [{ metadata: { 'k\ud800': 1 } }, 'metadata.k\ud800'],
        [{ changes: { oldValue: {}, newValue: { name: 'a\ud800' } } }, 'changes.newValue.name'],
        [{ actor: { id: 'u1', label: 'Ann \udc00' } }, 'actor'],
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

    it('an actor label cut at 255 characters keeps whole emoji and round-trips', async () => {
      const h = s.harness();
      const tool = uid('tool');
      // The 255-unit cut falls between the two halves of the first '🎉', after the second one.
      const cases: [string, string][] = [
        [`${'x'.repeat(254)}🎉 and more`, 'x'.repeat(254)],
        [`${'x'.repeat(253)}🎉 and more`, `${'x'.repeat(253)}🎉`],
      ];
      for (const [label, stored] of cases) {
        const entry = await s
          .service()
          .log({ template: 'x', tool, action: 'a', actor: { id: 'u1', label } });
        expect(entry.actorLabel).toBe(stored);
        expect(await h.readRaw(entry.id)).toEqual(entry);
      }
      expect(await countTool(tool)).toBe(2);
    });
  });
}
