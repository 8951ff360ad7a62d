import type { ChainedEntry, ChainInput, ChainLinker, ChainPosition } from './port';

/**
 * The partitions `entries` append to, sorted: the order every adapter locks them in, so two
 * batches spanning the same partitions never wait on each other in a cycle.
 */
export function partitionsOf(entries: readonly ChainInput[]): string[] {
  return [...new Set(entries.map((e) => e.chain))].sort();
}

/**
 * The linking half of `ChainStorage.appendChained`, the same for every adapter: for each
 * partition in sorted order (as `partitionsOf`), `lockHead` takes its lock and returns its head, `link`
 * chains that partition's entries after it, and `moveHead` records the last one as the new
 * head. Returns the chained entries in input order, for the adapter to write.
 */
export async function linkByPartition(
  entries: readonly ChainInput[],
  link: ChainLinker,
  lockHead: (chain: string) => Promise<ChainPosition>,
  moveHead: (chain: string, last: ChainedEntry) => Promise<void>,
): Promise<ChainedEntry[]> {
  const byChain = new Map<string, number[]>();
  entries.forEach((entry, i) => {
    const list = byChain.get(entry.chain);
    if (list) list.push(i);
    else byChain.set(entry.chain, [i]);
  });
  const linked: ChainedEntry[] = new Array(entries.length);
  for (const chain of [...byChain.keys()].sort()) {
    const indexes = byChain.get(chain) as number[];
    const out = link(
      chain,
      await lockHead(chain),
      indexes.map((i) => entries[i] as ChainInput),
    );
    indexes.forEach((i, k) => {
      linked[i] = out[k] as ChainedEntry;
    });
    await moveHead(chain, out[out.length - 1] as ChainedEntry);
  }
  return linked;
}
