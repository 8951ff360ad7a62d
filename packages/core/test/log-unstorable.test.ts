import { describe, expect, it } from 'vitest';
import { EventLogService, type LogInput, memoryStorage, ValidationError } from '../src/index';

const base = { template: 'x', tool: 'billing', action: 'create' } as const;

async function refusal(input: Record<string, unknown>): Promise<ValidationError> {
  const storage = memoryStorage();
  const error = await new EventLogService(storage)
    .log({ ...base, ...input } as LogInput)
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  expect((await storage.find({ limit: 1, offset: 0, order: 'desc', withCount: true })).count).toBe(
    0,
  );
  return error as ValidationError;
}

// Core validation only, so it runs once here; the storage conformance suite checks that every
// adapter meets it (packages/conformance/src/storage/lone-surrogates.ts).
describe('log() refuses a lone UTF-16 surrogate in every stored field', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ template: 'a\ud800b' }, 'template'],
    [{ template: 'pair half \udfff' }, 'template'],
    [{ template: '{v}', values: { v: 'x\udc00' } }, 'values.v'],
    [{ template: '{v__name}', values: { v__name: { name: '\ud83d' } } }, 'values.v__name'],
    [{ metadata: { 'k\ud800': 1 } }, 'metadata.k\ud800'],
    [{ metadata: { list: ['ok', { deep: '\udbff' }] } }, 'metadata.list.1.deep'],
    [{ metadata: { map: new Map([['\udc00', 1]]) } }, 'metadata.map.\udc00'],
    [{ metadata: { set: new Set(['ok', '\ud800']) } }, 'metadata.set.1'],
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
  it.each(cases)('%o names %s', async (input, path) => {
    const error = await refusal(input);
    expect(error.issues[0]?.path.join('.')).toBe(path);
    expect(error.message).toMatch(/lone UTF-16 surrogate/);
  });

  it('a surrogate pair split across a value and the template is refused at the halves', async () => {
    const error = await refusal({ template: '{a}{b}', values: { a: '\ud83d', b: '\ude00' } });
    expect(error.issues[0]?.path.join('.')).toBe('values.a');
  });
});
