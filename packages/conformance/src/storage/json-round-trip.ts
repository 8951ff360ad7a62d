import type { JsonObject } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { newEntry, uid, useHarness } from './support';

const UNICODE = [
  'emoji 🎉👩‍👩‍👧‍👦 and a flag 🇹🇭',
  'bidi override \u202Egnp.exe',
  'CJK 日本語 and Thai ภาษาไทย',
  'combining e\u0301 and ZWJ\u200D',
  'line separators \u2028 \u2029 and CR/LF \r\n tab \t',
  'quotes "double" \'single\' `back` and backslash \\',
  '<script>alert(1)</script>',
];

function nested(depth: number): JsonObject {
  let value: JsonObject = { leaf: true, list: [1, 'two', null, { three: 3 }] };
  for (let i = depth; i > 0; i--) value = { [`level${i}`]: value, n: i };
  return value;
}

/** `__proto__`, `constructor` and `prototype` as plain keys, exactly as JSON.parse builds them. */
function hostileKeys(): JsonObject {
  return JSON.parse(
    '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"prototype":1,"toString":"x"}',
  ) as JsonObject;
}

/** `changes`, `values` and `metadata` come back exactly as given, through every adapter. */
export function jsonRoundTripTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('JSON round trip', () => {
    const s = useHarness(options);

    async function roundTrip(payload: JsonObject, message = 'json') {
      const h = s.harness();
      const input = newEntry({
        message,
        values: payload,
        metadata: payload,
        changes: { oldValue: payload, newValue: { same: payload } },
      });
      const [stored] = await h.storage.insert([input]);
      const raw = await h.readRaw(stored?.id ?? '');
      const got = await h.storage.get(stored?.id ?? '');
      for (const entry of [stored, raw, got]) {
        expect(entry?.values).toEqual(payload);
        expect(entry?.metadata).toEqual(payload);
        expect(entry?.changes).toEqual({ oldValue: payload, newValue: { same: payload } });
      }
      return { stored, raw, got };
    }

    it('keeps unicode (emoji, U+202E, CJK, line separators) in keys, values and the message', async () => {
      const payload: JsonObject = Object.fromEntries(
        UNICODE.map((text, i) => [`${text} ${i}`, text]),
      );
      const { raw } = await roundTrip(payload, UNICODE.join(' | '));
      expect(raw?.message).toBe(UNICODE.join(' | '));
    });

    it('keeps nesting, arrays, numbers, booleans and nulls', async () => {
      await roundTrip({
        deep: nested(30),
        numbers: [0, -1, 1.5, 2 ** 53 - 1, -2.5e-7, 1e21],
        flags: [true, false],
        nothing: null,
        empty: { object: {}, array: [], string: '' },
      });
    });

    it('keeps __proto__ and constructor keys as data and pollutes nothing', async () => {
      const payload = hostileKeys();
      const { stored, raw, got } = await roundTrip(payload);
      for (const entry of [stored, raw, got]) {
        for (const obj of [entry?.values, entry?.metadata, entry?.changes?.oldValue]) {
          expect(Object.hasOwn(obj ?? {}, '__proto__')).toBe(true);
          expect(Object.getOwnPropertyDescriptor(obj, '__proto__')?.value).toEqual({
            polluted: true,
          });
          expect(Object.getPrototypeOf(obj)).not.toEqual({ polluted: true });
        }
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('keeps a 1 MB string and a payload of 10,000 keys', async () => {
      const big = 'é🎉x'.repeat(Math.ceil(1_000_000 / 7));
      await roundTrip({ big });
      await roundTrip(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])));
    });

    it('log() through the service keeps unicode, hostile keys and a 1 MB diff', async () => {
      const h = s.harness();
      const big = 'x'.repeat(1_000_000);
      const extra = hostileKeys();
      const entry = await s.service().log({
        template: 'Renamed to {item__name}',
        values: { item__name: { name: UNICODE[1] } },
        tool: uid('tool'),
        action: 'update',
        changes: {
          oldValue: { blob: big, ...extra },
          newValue: { blob: `${big}!`, text: UNICODE[0] },
        },
        metadata: { note: UNICODE[0], ...extra },
      });
      const raw = await h.readRaw(entry.id);
      expect(raw).toEqual(entry);
      expect(raw?.message).toBe(`Renamed to ${UNICODE[1]}`);
      expect(raw?.changes?.newValue.blob).toBe(`${big}!`);
      expect(Object.hasOwn(raw?.metadata ?? {}, '__proto__')).toBe(true);
      expect(Object.hasOwn(raw?.changes?.oldValue ?? {}, 'constructor')).toBe(true);
    });
  });
}
