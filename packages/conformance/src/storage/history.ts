import {
  EventLogService,
  type EventLogStorage,
  type LogInput,
  ValidationError,
} from '@eventlog/core';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { at, compareIds, newEntry, uid, useHarness } from './support';

const SNAPSHOT = { snapshot: true };

/** `stateAt` and `changesBetween`: an object's state folded from its entries. */
export function historyTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('history', () => {
    const s = useHarness(options);
    const ref = () => ({ type: 'Item', id: uid('item') });
    const write = (object: { type: string; id: string }, rest: Partial<LogInput>) =>
      s.service().log({ template: 'changed', tool: 'items', action: 'update', object, ...rest });

    it('folds create, updates, delete and re-create; null before and after', async () => {
      const item = ref();
      const created = await write(item, {
        action: 'create',
        timestamp: at(10),
        metadata: SNAPSHOT,
        changes: { oldValue: {}, newValue: { name: 'A', status: 'new', tags: ['x'] } },
      });
      await write(item, {
        timestamp: at(20),
        changes: { oldValue: { status: 'new' }, newValue: { status: 'active' } },
      });
      const renamed = await write(item, {
        timestamp: at(30),
        changes: { oldValue: { name: 'A', tags: ['x'] }, newValue: { name: 'B' } },
      });
      await write(item, {
        action: 'delete',
        timestamp: at(40),
        metadata: SNAPSHOT,
        changes: { oldValue: { name: 'B', status: 'active' }, newValue: {} },
      });
      const recreated = await write(item, {
        action: 'create',
        timestamp: at(50),
        metadata: SNAPSHOT,
        changes: { oldValue: {}, newValue: { name: 'C' } },
      });
      const service = s.service();
      expect(await service.stateAt(item, at(5))).toEqual({
        state: null,
        asOf: null,
        entryId: null,
        complete: false,
      });
      expect(await service.stateAt(item, at(15))).toEqual({
        state: { name: 'A', status: 'new', tags: ['x'] },
        asOf: at(10),
        entryId: created.id,
        complete: true,
      });
      expect(await service.stateAt(item, at(35))).toEqual({
        state: { name: 'B', status: 'active' },
        asOf: at(30),
        entryId: renamed.id,
        complete: true,
      });
      expect((await service.stateAt(item, at(45))).state).toBeNull();
      expect((await service.stateAt(item, at(45))).complete).toBe(true);
      const now = await service.stateAt(item);
      expect(now).toMatchObject({ state: { name: 'C' }, entryId: recreated.id, complete: true });
      expect(await service.changesBetween(item, at(15), at(35))).toEqual({
        oldValue: { name: 'A', status: 'new', tags: ['x'] },
        newValue: { name: 'B', status: 'active' },
      });
      expect(await service.changesBetween(item, at(5), at(15))).toEqual({
        oldValue: {},
        newValue: { name: 'A', status: 'new', tags: ['x'] },
      });
    });

    it('counts an entry exactly at `at`, and orders entries of one timestamp by id', async () => {
      const item = ref();
      const first = await write(item, {
        action: 'create',
        timestamp: at(10),
        metadata: SNAPSHOT,
        changes: { oldValue: {}, newValue: { n: 1 } },
      });
      const tied = [2, 3, 4].map((n) => ({
        template: 'changed',
        tool: 'items',
        action: 'update',
        object: item,
        timestamp: at(20),
        changes: { oldValue: { n: n - 1 }, newValue: { n } },
      }));
      const stored = await s.service().logMany(tied);
      const lastId = [...stored].sort((a, b) => compareIds(a.id, b.id)).at(-1)?.id;
      const exact = await s.service().stateAt(item, at(10));
      expect(exact).toMatchObject({ state: { n: 1 }, entryId: first.id });
      const justBefore = new Date(at(20).getTime() - 1);
      expect((await s.service().stateAt(item, justBefore)).state).toEqual({ n: 1 });
      const onTie = await s.service().stateAt(item, at(20));
      expect(onTie.entryId).toBe(lastId);
      expect(onTie.asOf).toEqual(at(20));
      expect(onTie.state).toEqual({ n: 4 });
    });

    it('applies deep diffs leaf by leaf, and keeps masked values masked', async () => {
      const item = ref();
      const service = s.service();
      const v1 = { name: 'A', password: 'hunter2', address: { city: 'X', zip: '1', street: 'S' } };
      const v2 = { name: 'A', password: 'swordfish', address: { city: 'Y', street: 'S' } };
      await write(item, {
        action: 'create',
        timestamp: at(10),
        metadata: SNAPSHOT,
        changes: service.createDiffSchema({}, v1),
      });
      await write(item, {
        timestamp: at(20),
        changes: service.createDiffSchema(v1, v2, { deep: true }),
      });
      const { state, complete } = await service.stateAt(item, at(20));
      expect(complete).toBe(true);
      expect(state).toEqual({
        name: 'A',
        password: expect.not.stringMatching(/hunter2|swordfish/),
        address: { city: 'Y', street: 'S' },
      });
      const raw = await service.listForObject(item, { order: 'asc' });
      expect(state?.password).toBe(raw.results[1]?.changes?.newValue.password);
    });

    it('complete is false when the history starts without a snapshot or its start was purged', async () => {
      const item = ref();
      await write(item, {
        action: 'create',
        timestamp: at(10),
        metadata: SNAPSHOT,
        changes: { oldValue: {}, newValue: { name: 'A', status: 'new' } },
      });
      await write(item, {
        timestamp: at(20),
        changes: { oldValue: { status: 'new' }, newValue: { status: 'done' } },
      });
      expect((await s.service().stateAt(item, at(20))).complete).toBe(true);
      await s.service().purge({ before: at(15) });
      expect(await s.service().stateAt(item, at(20))).toMatchObject({
        state: { status: 'done' },
        complete: false,
      });
      const manual = ref();
      await write(manual, {
        action: 'create',
        timestamp: at(10),
        changes: { oldValue: {}, newValue: { name: 'M' } },
      });
      expect(await s.service().stateAt(manual, at(10))).toMatchObject({
        state: { name: 'M' },
        complete: false,
      });
    });

    it('reads the entries in one indexed pass: a query per 1,000 entries, not one per entry', async () => {
      const item = ref();
      const { storage } = s.harness();
      const entries = Array.from({ length: 1001 }, (_, i) =>
        newEntry({
          objectType: item.type,
          objectId: item.id,
          timestamp: at(i),
          changes: { oldValue: { n: i - 1 }, newValue: { n: i } },
        }),
      );
      await storage.insert(entries);
      let finds = 0;
      const counting: EventLogStorage<Tx> = Object.create(storage, {
        find: {
          value: (q: Parameters<typeof storage.find>[0]) => {
            finds++;
            return storage.find(q);
          },
        },
      });
      const result = await new EventLogService(counting).stateAt(item, at(5000));
      expect(result.state).toEqual({ n: 1000 });
      expect(finds).toBe(2);
    });

    it('refuses a bad instant or object with a ValidationError naming it', async () => {
      const item = ref();
      const cases: [() => Promise<unknown>, string][] = [
        [() => s.service().stateAt(item, new Date(Number.NaN)), 'at'],
        [() => s.service().stateAt(item, '2024-01-01' as unknown as Date), 'at'],
        [() => s.service().stateAt(item, new Date(Date.UTC(10000, 0, 1))), 'at'],
        [() => s.service().changesBetween(item, at(1), new Date(Number.NaN)), 'to'],
        [() => s.service().stateAt('Item:1'), 'object'],
      ];
      for (const [call, field] of cases) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues[0]?.path[0]).toBe(field);
      }
    });
  });
}
