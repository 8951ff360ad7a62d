import { EventLogAction } from '@eventlog/core';
import { UNCHAINED } from '@eventlog/core/storage';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { at, ids, newEntry, query, uid, useHarness } from './support';

const NULLABLE = [
  'actorId',
  'actorLabel',
  'template',
  'values',
  'objectType',
  'objectId',
  'changes',
  'metadata',
  'eventId',
  // Chain fields: null whenever the entry was not appended with integrity on.
  'chain',
  'seq',
  'prevHash',
  'hash',
] as const;

/** Appending: what `insert` returns is what was really written, one or many, in input order. */
export function appendTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('append', () => {
    const s = useHarness(options);

    it('stores one entry and returns exactly what a raw read finds', async () => {
      const h = s.harness();
      const input = newEntry({
        timestamp: at(1.234),
        actorId: uid('actor'),
        actorLabel: 'John Doe',
        // Quotes and every placeholder syntax a driver might misread in a raw statement.
        message: 'Item A was updated by John Doe: quotes \' " and $1 ? :x \\ 🎉',
        template: 'Item {item__name} was updated by {user__full_name}.',
        values: { item__name: 'A', user__full_name: 'John Doe' },
        action: EventLogAction.UPDATE,
        objectType: 'Item',
        objectId: uid('item'),
        changes: { oldValue: { status: 'active' }, newValue: { status: 'inactive' } },
        metadata: { ip: '127.0.0.1', requestId: uid('req') },
        eventId: uid('evt'),
      });
      const [stored] = await h.storage.insert([input]);
      expect(stored?.id).toEqual(expect.any(String));
      expect(stored).toEqual({ ...input, ...UNCHAINED, id: stored?.id });
      expect(await h.readRaw(stored?.id ?? '')).toEqual(stored);
      expect(await h.storage.get(stored?.id ?? '')).toEqual(stored);
    });

    it('keeps nullable fields null, never undefined', async () => {
      const h = s.harness();
      const [stored] = await h.storage.insert([newEntry()]);
      const raw = await h.readRaw(stored?.id ?? '');
      for (const entry of [stored, raw]) {
        for (const key of NULLABLE) expect(entry?.[key]).toBeNull();
      }
    });

    it('stores many entries in one call, returned in input order with distinct ids', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const inputs = Array.from({ length: 7 }, (_, i) =>
        // Timestamps deliberately out of order: the return order follows the input, not time.
        newEntry({ tool, message: `entry ${i}`, timestamp: at((i * 5) % 7) }),
      );
      const stored = await h.storage.insert(inputs);
      expect(stored.map((e) => e.message)).toEqual(inputs.map((e) => e.message));
      expect(new Set(ids(stored)).size).toBe(inputs.length);
      for (const entry of stored) expect(await h.readRaw(entry.id)).toEqual(entry);
      const page = await h.storage.find(query({ tool, withCount: true }));
      expect(page.count).toBe(inputs.length);
    });

    it('returns [] for an empty batch and writes nothing', async () => {
      const h = s.harness();
      expect(await h.storage.insert([])).toEqual([]);
      const page = await h.storage.find(query({ withCount: true }));
      expect(page).toEqual({ results: [], nextCursor: null, count: 0, countExact: true });
    });

    it('returns null from get() for unknown ids and ids of a foreign shape', async () => {
      const h = s.harness();
      const [stored] = await h.storage.insert([newEntry()]);
      expect(stored).toBeDefined();
      const foreign = [
        '999999999',
        '0',
        '-1',
        '1.5',
        ' 1',
        '',
        // Past a 64-bit integer: a SQL driver must not be asked for it.
        '99999999999999999999',
        '9223372036854775808',
        '5f8d0d55b54764421b7156c9',
        'not an id 💥',
        uid(),
      ];
      for (const id of foreign) {
        if (id === stored?.id) continue;
        expect(await h.storage.get(id)).toBeNull();
      }
      // The id after the one just stored (SQL sequences): well-shaped, but absent.
      if (stored && /^\d+$/.test(stored.id)) {
        expect(await h.storage.get(String(BigInt(stored.id) + 1n))).toBeNull();
      }
    });

    it('log() through EventLogService stores the rendered entry', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const item = { type: 'Item', id: uid('item'), name: 'Certificate A' };
      const entry = await s.service().log({
        template: 'Item {item__name} was updated by {user__full_name}.',
        values: { item__name: item, user__full_name: { fullName: 'John Doe' } },
        object: { type: item.type, id: item.id },
        actor: { id: 42, label: 'John Doe' },
        tool,
        action: EventLogAction.UPDATE,
        changes: { oldValue: { status: 'active' }, newValue: { status: 'inactive' } },
      });
      expect(entry).toMatchObject({
        message: 'Item Certificate A was updated by John Doe.',
        template: 'Item {item__name} was updated by {user__full_name}.',
        values: { item__name: 'Certificate A', user__full_name: 'John Doe' },
        actorId: '42',
        actorLabel: 'John Doe',
        objectType: 'Item',
        objectId: item.id,
        tool,
        action: 'update',
      });
      expect(await h.readRaw(entry.id)).toEqual(entry);
      expect(await s.service().get(entry.id)).toEqual(entry);
    });

    it('logMany() stores every input in order', async () => {
      const h = s.harness();
      const tool = uid('tool');
      const entries = await s
        .service()
        .logMany([1, 2, 3].map((n) => ({ template: `entry ${n}`, tool, action: 'import' })));
      expect(entries.map((e) => e.message)).toEqual(['entry 1', 'entry 2', 'entry 3']);
      for (const entry of entries) expect(await h.readRaw(entry.id)).toEqual(entry);
    });
  });
}
