import { ChainChecker, readPages } from './chain-walk';
import { cutRecord, isCutRecord } from './cut-record';
import { linkEntries } from './hash';
import { IntegrityError } from './integrity-error';
import type { ChainPosition, ChainStorage } from './port';

/**
 * Retention that keeps every chain verifiable: in each partition, deletes the longest prefix of
 * the chain whose entries are all older than `before` (and of `tools`, when given; earlier cut
 * records go whatever the tools), records the last deleted entry's `(seq, hash)` as the
 * partition's new start, and appends a cut record (see `cutRecord`) stating the move, all under
 * the partition's lock. An entry that must stay (newer, or of another tool) ends the prefix, so a
 * chain never gets a hole: with `partition: 'default'` and a tool filter, old entries of that
 * tool behind a newer entry of another tool stay until that one goes too. The prefix is verified
 * before it is deleted, so retention never erases the evidence of tampering: a broken prefix
 * throws `IntegrityError`.
 *
 * @returns how many entries were deleted, over all partitions (cut records appended not counted).
 */
export async function purgeChains(
  storage: ChainStorage,
  before: Date,
  tools: readonly string[] | undefined,
  clock: () => Date = () => new Date(),
): Promise<number> {
  let deleted = 0;
  for (const chain of await storage.listChains()) {
    const head = await storage.chainHead(chain);
    // Entries without a head are not eventlog's to cut: verify reports them.
    if (head === null) continue;
    const checker = new ChainChecker(head.start, head.start);
    let cut: ChainPosition | null = null;
    for await (const entry of readPages(storage, chain, head.start.seq + 1, head.seq)) {
      const keep =
        entry.timestamp.getTime() >= before.getTime() ||
        (tools !== undefined && !tools.includes(entry.tool) && !isCutRecord(entry));
      if (keep) break;
      const broken = checker.check(entry);
      if (broken) throw new IntegrityError(chain, broken);
      cut = checker.last;
    }
    if (cut === null) continue;
    const to = cut;
    deleted += await storage.cutChain(chain, to, {
      entry: (previous) => cutRecord(chain, previous, to, clock()),
      link: linkEntries,
    });
  }
  return deleted;
}
