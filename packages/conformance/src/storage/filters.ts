import type { EventLog, EventLogQuery } from '@eventlog/core';
import type { NewEventLog } from '@eventlog/core/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { at, compareEntries, newEntry, query, uid, useHarness } from './support';

interface Fixture {
  tools: [string, string, string];
  actors: [string, string];
  objectIds: [string, string];
  stored: EventLog[];
}

/**
 * Twelve entries that vary every filtered field, with messages that put `%`, `_`, `\\`, `!` (a
 * common LIKE escape character) and mixed case in the way of a careless LIKE.
 */
function fixtureEntries(f: Omit<Fixture, 'stored'>): NewEventLog[] {
  const messages = [
    'Item Alpha was updated',
    'item ALPHA was deleted',
    'Discount 100% applied',
    'Discount 1000 applied',
    'user_name changed',
    'username changed',
    'Certificate B issued',
    'certificate b revoked',
    'Plain message',
    'Saved to C:\\temp\\x!',
    'Ünïcödé Ωmega 🎉',
    'ωMEGA lowercase?',
  ];
  const actions = ['create', 'update', 'delete', 'approve'];
  return messages.map((message, i) =>
    newEntry({
      timestamp: at(i * 10),
      message,
      tool: f.tools[i % 3] as string,
      action: actions[i % 4] as string,
      actorId: i % 5 === 4 ? null : (f.actors[i % 2] as string),
      objectType: i % 3 === 2 ? null : i % 2 === 0 ? 'Item' : 'Certificate',
      objectId: i % 3 === 2 ? null : (f.objectIds[i % 4 < 2 ? 0 : 1] as string),
    }),
  );
}

/** Every filter alone and combined, checked against the same filter applied in plain code. */
export function filterTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('filters', () => {
    const s = useHarness(options);
    let f: Fixture;

    beforeEach(async () => {
      const base = {
        tools: [uid('tool'), uid('tool'), uid('tool')] as [string, string, string],
        actors: [uid('actor'), uid('actor')] as [string, string],
        objectIds: [uid('obj'), uid('obj')] as [string, string],
      };
      f = { ...base, stored: await s.harness().storage.insert(fixtureEntries(base)) };
    });

    /** Runs `q` (asc, one big page) and compares with `expected` applied to the fixture. */
    async function expectMatches(q: EventLogQuery, expected: (e: EventLog) => boolean) {
      const page = await s.harness().storage.find(query({ ...q, order: 'asc', withCount: true }));
      const want = f.stored.filter(expected).sort(compareEntries);
      expect(page.results.map((e) => e.message)).toEqual(want.map((e) => e.message));
      expect(page.count).toBe(want.length);
      expect(page.nextCursor).toBeNull();
      return page.results;
    }

    it('tool: one', async () => {
      const r = await expectMatches({ tool: f.tools[0] }, (e) => e.tool === f.tools[0]);
      expect(r.length).toBeGreaterThan(0);
    });

    it('tool: many', async () => {
      const tools = [f.tools[0], f.tools[2]];
      await expectMatches({ tool: tools }, (e) => tools.includes(e.tool));
    });

    it('action: one and many', async () => {
      await expectMatches({ action: 'update' }, (e) => e.action === 'update');
      await expectMatches({ action: ['delete', 'approve'] }, (e) =>
        ['delete', 'approve'].includes(e.action),
      );
    });

    it('actorId', async () => {
      await expectMatches({ actorId: f.actors[1] }, (e) => e.actorId === f.actors[1]);
    });

    it('objectType alone, and objectType + objectId', async () => {
      await expectMatches({ objectType: 'Item' }, (e) => e.objectType === 'Item');
      await expectMatches(
        { objectType: 'Certificate', objectId: f.objectIds[1] },
        (e) => e.objectType === 'Certificate' && e.objectId === f.objectIds[1],
      );
      // Same id under another type is another object.
      await expectMatches({ objectType: 'Invoice', objectId: f.objectIds[1] }, () => false);
    });

    it('from is inclusive and to is exclusive', async () => {
      const from = at(30);
      const to = at(70);
      const r = await expectMatches(
        { from, to },
        (e) => e.timestamp >= from && e.timestamp.getTime() < to.getTime(),
      );
      expect(r[0]?.timestamp).toEqual(from);
      expect(r.some((e) => e.timestamp.getTime() === to.getTime())).toBe(false);
      await expectMatches({ from: at(110) }, (e) => e.timestamp >= at(110));
      await expectMatches({ to: at(10) }, (e) => e.timestamp < at(10));
      await expectMatches({ from: at(40), to: at(40) }, () => false);
    });

    it('search: case-insensitive (ASCII) substring of the message', async () => {
      const alpha = await expectMatches({ search: 'alpha' }, (e) =>
        e.message.toLowerCase().includes('alpha'),
      );
      expect(alpha).toHaveLength(2);
      await expectMatches({ search: 'CERTIFICATE B' }, (e) =>
        e.message.toLowerCase().includes('certificate b'),
      );
      await expectMatches({ search: '🎉' }, (e) => e.message.includes('🎉'));
    });

    it('search: % and _ are literal characters, not wildcards', async () => {
      const percent = await expectMatches({ search: '100%' }, (e) => e.message.includes('100%'));
      expect(percent.map((e) => e.message)).toEqual(['Discount 100% applied']);
      const underscore = await expectMatches({ search: 'user_name' }, (e) =>
        e.message.includes('user_name'),
      );
      expect(underscore.map((e) => e.message)).toEqual(['user_name changed']);
      await expectMatches({ search: '%' }, (e) => e.message.includes('%'));
      await expectMatches({ search: '_' }, (e) => e.message.includes('_'));
    });

    it('search: backslash and ! are literal too (whatever the LIKE escape character)', async () => {
      const path = await expectMatches({ search: ':\\t' }, (e) => e.message.includes(':\\t'));
      expect(path.map((e) => e.message)).toEqual(['Saved to C:\\temp\\x!']);
      expect(await expectMatches({ search: '!' }, (e) => e.message.includes('!'))).toHaveLength(1);
      expect(await expectMatches({ search: '\\' }, (e) => e.message.includes('\\'))).toHaveLength(
        1,
      );
    });

    it('combined filters narrow each other', async () => {
      const q: EventLogQuery = {
        tool: [f.tools[0], f.tools[1]],
        action: ['create', 'update', 'delete'],
        actorId: f.actors[0],
        from: at(0),
        to: at(100),
      };
      await expectMatches(
        q,
        (e) =>
          [f.tools[0], f.tools[1]].includes(e.tool) &&
          e.action !== 'approve' &&
          e.actorId === f.actors[0] &&
          e.timestamp.getTime() < at(100).getTime(),
      );
      await expectMatches(
        { ...q, objectType: 'Item', search: 'ITEM' },
        (e) =>
          [f.tools[0], f.tools[1]].includes(e.tool) &&
          e.action !== 'approve' &&
          e.actorId === f.actors[0] &&
          e.objectType === 'Item' &&
          e.message.toLowerCase().includes('item') &&
          e.timestamp.getTime() < at(100).getTime(),
      );
    });

    it('nothing matching gives an empty page without a cursor', async () => {
      const page = await s.harness().storage.find(query({ tool: uid('absent') }));
      expect(page).toEqual({ results: [], nextCursor: null });
    });
  });
}
