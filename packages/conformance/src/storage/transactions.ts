import { TemplateError } from '@eventlog/core';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions, StorageHarness } from '../harness';
import { newEntry, query, uid, useHarness } from './support';

const REASON =
  'storage does not declare the transactions capability (or the harness has no withTransaction)';

/** Commit keeps, rollback drops: the log entry shares the fate of the business change. */
export function transactionTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('transactions', () => {
    const s = useHarness(options);

    /** The harness's `withTransaction`, or a skip that says why this test cannot run. */
    function transactional(
      ctx: TestContext,
    ): Required<Pick<StorageHarness<Tx>, 'withTransaction'>> {
      const h = s.harness();
      if (!h.storage.capabilities.transactions || !h.withTransaction) ctx.skip(REASON);
      return h as Required<Pick<StorageHarness<Tx>, 'withTransaction'>>;
    }

    async function countTool(tool: string) {
      return (await s.harness().storage.find(query({ tool, withCount: true }))).count;
    }

    it('commit keeps what log() wrote inside the transaction', async (ctx) => {
      const h = transactional(ctx);
      const tool = uid('tool');
      const entry = await h.withTransaction((tx) =>
        s.service().log({ template: 'inside', tool, action: 'create' }, { transaction: tx }),
      );
      expect(await s.harness().readRaw(entry.id)).toEqual(entry);
      expect(await countTool(tool)).toBe(1);
    });

    it('a connection killed mid-transaction: the caller gets the error and nothing is kept', async (ctx) => {
      const h = transactional(ctx);
      const kill = s.harness().killConnection;
      if (!kill)
        ctx.skip('the harness cannot end the session behind a transaction (killConnection)');
      const tool = uid('tool');
      const outcome = await h
        .withTransaction(async (tx) => {
          await s
            .service()
            .log({ template: 'before', tool, action: 'create' }, { transaction: tx });
          await kill?.(tx);
          await s.service().log({ template: 'after', tool, action: 'create' }, { transaction: tx });
        })
        .then(
          () => 'committed',
          (e: unknown) => e,
        );
      expect(outcome).toBeInstanceOf(Error);
      expect(await countTool(tool)).toBe(0);
      // The pool does not hand out the dead connection again.
      await s.service().log({ template: 'again', tool, action: 'create' });
      expect(await countTool(tool)).toBe(1);
    });

    it('rollback drops what was written inside the transaction', async (ctx) => {
      const h = transactional(ctx);
      const tool = uid('tool');
      let id = '';
      const boom = new Error(`business failure ${uid()}`);
      await expect(
        h.withTransaction(async (tx) => {
          const [stored] = await s.harness().storage.insert([newEntry({ tool })], {
            transaction: tx,
          });
          id = stored?.id ?? '';
          await s.service().logMany(
            [1, 2].map((n) => ({ template: `n${n}`, tool, action: 'create' })),
            { transaction: tx },
          );
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(id).not.toBe('');
      expect(await s.harness().readRaw(id)).toBeNull();
      expect(await s.harness().storage.get(id)).toBeNull();
      expect(await countTool(tool)).toBe(0);
    });

    it('a log() that fails inside the transaction rolls the business change back too', async (ctx) => {
      const h = transactional(ctx);
      const tool = uid('tool');
      const error = await h
        .withTransaction(async (tx) => {
          await s.harness().storage.insert([newEntry({ tool })], { transaction: tx });
          // A template placeholder missing from values: log() throws before writing.
          await s
            .service()
            .log({ template: '{missing__x}', tool, action: 'x' }, { transaction: tx });
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TemplateError);
      expect(await countTool(tool)).toBe(0);
    });
  });
}
