import { type EventLogService, ValidationError } from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { newEntry, query, uid, useHarness } from './support';

/** Text a terminal, a log viewer or a browser would interpret if it were not escaped. */
export const HOSTILE_TEXT = [
  'line one\r\nline two\rthree\nfour',
  'ansi \u001b[31mred\u001b[0m \u001b]0;title\u0007 \u001b[2J',
  'bidi \u202Efdp.exe \u2066isolate\u2069',
  '<script>alert(1)</script><img src=x onerror=alert(2)>',
  'quotes \' " ` and \\ backslash, % and _ wildcards',
] as const;

/**
 * Messages, templates and values with CR/LF, ANSI escapes, U+202E and markup
 * are stored exactly as given by every adapter (escaping is the viewer's job); U+0000, which
 * PostgreSQL cannot store, is a `ValidationError` before storage on every adapter, never a driver
 * error on one and a silent success on another.
 */
export function hostileTextTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('hostile text (CR/LF, ANSI, U+202E, <script>, NUL)', () => {
    const s = useHarness(options);

    async function countTool(tool: string) {
      return (await s.harness().storage.find(query({ tool, withCount: true }))).count;
    }

    it('log() stores hostile text as given in message, template, values, actor, changes and metadata', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const text = HOSTILE_TEXT.join(' | ');
      const entry = await s.service().log({
        template: `${HOSTILE_TEXT[3]} {item__name} by {user__label}\r\n${HOSTILE_TEXT[1]}`,
        values: { item__name: text, user__label: { label: HOSTILE_TEXT[2] } },
        actor: { id: 'u1', label: HOSTILE_TEXT[2] },
        object: { type: 'Item', id: HOSTILE_TEXT[3] },
        tool,
        action: 'update',
        changes: { oldValue: { name: HOSTILE_TEXT[0] }, newValue: { [HOSTILE_TEXT[3]]: text } },
        metadata: { note: text, [HOSTILE_TEXT[1]]: HOSTILE_TEXT[4] },
      });
      const expected = `${HOSTILE_TEXT[3]} ${text} by ${HOSTILE_TEXT[2]}\r\n${HOSTILE_TEXT[1]}`;
      expect(entry.message).toBe(expected);
      const raw = await h.readRaw(entry.id);
      expect(raw).toEqual(entry);
      expect(raw?.message).toBe(expected);
      expect(raw?.actorLabel).toBe(HOSTILE_TEXT[2]);
      expect(raw?.objectId).toBe(HOSTILE_TEXT[3]);
      expect(raw?.values).toEqual({ item__name: text, user__label: HOSTILE_TEXT[2] });
      expect(raw?.changes?.newValue).toEqual({ [HOSTILE_TEXT[3]]: text });
      expect(raw?.metadata).toEqual({ note: text, [HOSTILE_TEXT[1]]: HOSTILE_TEXT[4] });
      expect(await countTool(tool)).toBe(1);
    });

    it('search finds hostile text literally (markup, U+202E, ESC, %)', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const [hit] = await h.storage.insert([
        newEntry({ tool, message: HOSTILE_TEXT.join(' ') }),
        newEntry({ tool, message: 'plain text' }),
      ]);
      for (const search of ['<script>alert(1)', '\u202Efdp', '\u001b[31m', '% and _']) {
        const page = await h.storage.find(query({ tool, search }));
        expect(page.results.map((e) => e.id)).toEqual([hit?.id]);
      }
    });

    it('log() refuses U+0000 in any field with a ValidationError naming it, and stores nothing', async () => {
      const tool = uid('tool');
      const base = { template: 'x', tool, action: 'create' };
      const cases: [Record<string, unknown>, string][] = [
        [{ template: 'a\u0000b' }, 'template'],
        [{ template: '{v}', values: { v: 'a\u0000' } }, 'values.v'],
        [{ metadata: { 'k\u0000': 1 } }, 'metadata.k\u0000'],
        [{ changes: { oldValue: { a: ['x\u0000'] }, newValue: {} } }, 'changes.oldValue.a.0'],
        [{ action: 'up\u0000date' }, 'action'],
        [{ eventId: 'e\u0000' }, 'eventId'],
        [{ actor: { id: 'u1', label: 'Ann\u0000' } }, 'actor'],
        [{ object: { type: 'Item', id: '1\u0000' } }, 'object'],
      ];
      for (const [override, path] of cases) {
        const error = await s
          .service()
          .log({ ...base, ...override } as Parameters<EventLogService['log']>[0])
          .catch((e: unknown) => e);
        expect(error, path).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues[0]?.path.join('.')).toBe(path);
        expect((error as ValidationError).message).toContain('U+0000');
      }
      expect(await countTool(tool)).toBe(0);
    });

    it('insert() of U+0000 either stores it exactly or throws and stores nothing, never alters it', async () => {
      // Below the service, the adapter meets the driver: PostgreSQL refuses NUL, SQLite and
      // MongoDB keep it. Either is honest; a silently changed message would not be.
      const h = s.harness();
      const tool = uid('tool');
      const message = 'before\u0000after';
      const result = await h.storage.insert([newEntry({ tool, message })]).catch((e: unknown) => e);
      if (Array.isArray(result)) {
        expect((await h.readRaw(result[0]?.id ?? ''))?.message).toBe(message);
        expect(await countTool(tool)).toBe(1);
      } else {
        expect(result).toBeInstanceOf(Error);
        expect(await countTool(tool)).toBe(0);
      }
    });
  });
}
