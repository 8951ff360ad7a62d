import { ChainChecker, readPages } from './chain-walk';
import { IntegrityError } from './integrity-error';
import type { ChainPosition, ChainStorage } from './port';

/**
 * Retention that keeps every chain verifiable: in each partition, deletes the longest prefix of
 * the chain whose entries are all older than `before` (and of `tools`, when given), and records
 * the last deleted entry's `(seq, hash)` as the partition's new start. An entry that must stay
 * (newer, or of another tool) ends the prefix, so a chain never gets a hole: with
 * `partition: 'default'` and a tool filter, old entries of that tool behind a newer entry of
 * another tool stay until that one goes too. The prefix is verified before it is deleted, so
 * retention never erases the evidence of tampering: a broken prefix throws `IntegrityError`.
 *
 * @returns how many entries were deleted, over all partitions.
 */
export async function purgeChains(
  storage: ChainStorage,
  before: Date,
  tools: readonly string[] | undefined,
): Promise<number> {
  let deleted = 0;
  for (const chain of await storage.listChains()) {
    const head = await storage.chainHead(chain);
    if (head === null) continue;
    const checker = new ChainChecker(head.start, head.start);
    let cut: ChainPosition | null = null;
    for await (const entry of readPages(storage, chain, head.start.seq + 1, head.seq)) {
      const keep =
        entry.timestamp.getTime() >= before.getTime() ||
        (tools !== undefined && !tools.includes(entry.tool));
      if (keep) break;
      const broken = checker.check(entry);
      if (broken) throw new IntegrityError(chain, broken);
      cut = checker.last;
    }
    if (cut !== null) deleted += await storage.cutChain(chain, cut);
  }
  return deleted;
}
