import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  EventLogService,
  type LogInput,
  memoryStorage,
  TemplateError,
  ValidationError,
} from '../src/index';

// Refusing a hostile payload is core's validation, done before any storage is called: tested
// once here. How a storage keeps a large payload that is allowed is the conformance suite's.

const base = { template: 'x', tool: 'hostile', action: 'update' } as const;

function deep(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < levels; i++) value = { d: value };
  return value;
}

/** What log() throws for `input`, after checking that nothing was stored. */
async function refusal(input: LogInput): Promise<unknown> {
  const storage = memoryStorage();
  const error = await new EventLogService(storage).log(input).catch((e: unknown) => e);
  const stored = await storage.find({ limit: 1, offset: 0, order: 'desc', withCount: true });
  expect(stored.count).toBe(0);
  return error;
}

async function refused(input: LogInput): Promise<ValidationError> {
  const error = await refusal(input);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

const path = (error: ValidationError) => error.issues[0]?.path.join('.');

describe('log() refuses hostile payloads before storage', () => {
  it('cyclic old or new side: a ValidationError naming the cycle', async () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = { back: cyclic };
    for (const changes of [
      { oldValue: cyclic, newValue: {} },
      { oldValue: {}, newValue: { list: [cyclic] } },
    ]) {
      const error = await refused({ ...base, changes });
      expect(path(error)).toMatch(/^changes\.(oldValue|newValue)\./);
      expect(error.message).toMatch(/cycle/);
    }
  });

  it('10,000-deep nesting in changes, values or metadata: a typed error, no stack overflow', async () => {
    const tower = deep(10_000);
    const inChanges = await refused({ ...base, changes: { oldValue: {}, newValue: tower } });
    expect(path(inChanges)).toMatch(/^changes\.newValue\.d/);
    expect(path(await refused({ ...base, metadata: tower }))).toMatch(/^metadata\.d/);
    // values are what placeholders read: the template renders them, so its error is typed too.
    const inValues = await refusal({ ...base, template: 'Deep {v}', values: { v: tower } });
    expect(inValues).toBeInstanceOf(TemplateError);
    expect((inValues as TemplateError).placeholder).toBe('v');
  });

  it('a 50 MB changes: a ValidationError on changes naming the limit', async () => {
    const blob = 'x'.repeat(50 * 1024 * 1024);
    const error = await refused({ ...base, changes: { oldValue: {}, newValue: { blob } } });
    expect(path(error)).toBe('changes');
    expect(error.message).toContain(String(DEFAULT_MAX_PAYLOAD_BYTES));
  });

  it('a 1,000,000-key changes: a ValidationError on changes', async () => {
    const keys: Record<string, number> = {};
    for (let i = 0; i < 1_000_000; i++) keys[`k${i}`] = i;
    const error = await refused({ ...base, changes: { oldValue: keys, newValue: {} } });
    expect(path(error)).toBe('changes');
  });
});
