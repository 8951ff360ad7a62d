import { describe, expect, it } from 'vitest';
import {
  createDiffSchema,
  DEFAULT_MASK,
  EventLogService,
  type LogInput,
  memoryStorage,
  ValidationError,
} from '../src/index';
import { toJsonValue } from '../src/json/to-json-value';

const base = { template: 'Something happened', tool: 'billing', action: 'update' } as const;

class Money {
  constructor(
    public amount: number,
    public currency: string,
  ) {}
  toJSON(): string {
    return `${this.amount} ${this.currency}`;
  }
}

/** Values whose encoding differs from JSON.stringify's, or is easy to get wrong. */
function exotic(): Record<string, unknown> {
  return {
    buffer: Buffer.from('hello'),
    bytes: new Uint8Array([1, 2, 255]),
    floats: new Float64Array([1.5, Number.NaN]),
    regexp: /a+b/gi,
    error: Object.assign(new TypeError('bad'), { code: 'E_BAD' }),
    money: new Money(5, 'EUR'),
    map: new Map<unknown, unknown>([
      ['a', 1],
      [2, new Date(0)],
    ]),
    set: new Set([1n, 'x']),
    boxed: [Object(1), Object('s')],
    gone: undefined,
    nested: { token: 'secret-value', keep: -0 },
  };
}

async function failure(run: Promise<unknown>): Promise<ValidationError> {
  const error = await run.then(
    () => new Error('expected a ValidationError'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('log() stores the one documented encoding (toJsonValue)', () => {
  it('changes, metadata and the diff encode every kind of value the same way', async () => {
    const service = new EventLogService(memoryStorage());
    const entry = await service.log({
      ...base,
      changes: { oldValue: {}, newValue: exotic() },
      metadata: exotic(),
    });
    const expected = toJsonValue(exotic(), { redact: true });
    expect(entry.changes?.newValue).toEqual(expected);
    expect(entry.metadata).toEqual(expected);
    expect(createDiffSchema({}, exotic()).newValue).toEqual(expected);
    // The table's own rows, spelled out for the cases the two encodings used to disagree on.
    expect(expected).toMatchObject({
      buffer: 'aGVsbG8=',
      bytes: 'AQL/',
      regexp: '/a+b/gi',
      error: { name: 'TypeError', message: 'bad', code: 'E_BAD' },
      money: '5 EUR',
      map: { a: 1, '2': '1970-01-01T00:00:00.000Z' },
      set: ['1', 'x'],
      nested: { token: DEFAULT_MASK, keep: 0 },
    });
    expect(JSON.stringify(entry.changes)).not.toContain('secret-value');
  });

  it('names the path of a throwing getter, with its error as the cause', async () => {
    const boom = new Error('no');
    const bad = {
      get x(): never {
        throw boom;
      },
    };
    const error = await failure(
      new EventLogService(memoryStorage()).log({
        ...base,
        changes: { oldValue: {}, newValue: { list: [1, bad] } },
      }),
    );
    expect(error.issues[0]?.path).toEqual(['changes', 'newValue', 'list', 1, 'x']);
    expect(error.cause).toBe(boom);
  });

  it('names the path of a cycle and of U+0000 inside Maps and Sets', async () => {
    const service = new EventLogService(memoryStorage());
    const loop: Record<string, unknown> = {};
    loop.again = new Map([['inner', loop]]);
    const cycle = await failure(service.log({ ...base, metadata: { loop } }));
    expect(cycle.issues[0]?.path).toEqual(['metadata', 'loop', 'again', 'inner']);
    expect(cycle.message).toMatch(/cycle/);

    const nul = await failure(service.log({ ...base, metadata: { s: new Set(['ok', 'x\0']) } }));
    expect(nul.issues[0]?.path).toEqual(['metadata', 's', 1]);
    expect(nul.message).toContain('U+0000');
  });

  it('counts the size in UTF-8 bytes of the JSON text, shared by call and context metadata', async () => {
    const small = new EventLogService(memoryStorage(), { limits: { maxPayloadBytes: 1000 } });
    const input = (note: string): LogInput => ({
      ...base,
      changes: { oldValue: {}, newValue: { note } },
    });
    expect((await small.log(input('e'.repeat(600)))).changes?.newValue.note).toHaveLength(600);
    // 600 characters, 1,200 bytes: over the limit although the character count is not.
    const wide = await failure(small.log(input('é'.repeat(600))));
    expect(wide.issues[0]?.path).toEqual(['changes']);
    expect(wide.message).toContain('1000 bytes');
  });

  it('keeps the index prefix in logMany() for payload errors', async () => {
    const service = new EventLogService(memoryStorage());
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const error = await failure(service.logMany([base, { ...base, metadata: cyclic }]));
    expect(error.issues[0]?.path).toEqual([1, 'metadata', 'self']);
  });
});
