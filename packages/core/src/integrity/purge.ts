import { type EventLogPage, eventLogQuerySchema, type StorageQuery } from '../schemas';
import { ChainChecker, readPages } from './chain-walk';
import { CUT_ACTION, CUT_TOOL, cutRecord, isCutRecord, recordedStart } from './cut-record';
import { hashMatches, linkEntries } from './hash';
import { IntegrityError } from './integrity-error';
import type { ChainPosition, ChainStorage } from './port';

/** The storage's `find`: how purge looks up the cut records that prove a partition's start. */
export type FindEntries = (query: StorageQuery) => Promise<EventLogPage>;

/** Cut records read to find the latest: more than one, in case the clock ever stepped back. */
const RECENT_RECORDS = 20;

/**
 * True when the latest intact cut record of `chain` (by seq, among its most recent ones by
 * time, found through the object index; see `recordedStart` for what is one) set exactly `start`.
 */
async function startProven(find: FindEntries, chain: string, start: ChainPosition) {
  const query = eventLogQuerySchema.parse({
    tool: CUT_TOOL,
    action: CUT_ACTION,
    objectType: 'chain',
    objectId: chain,
    limit: RECENT_RECORDS,
  });
  let latest: { seq: number; sets: ChainPosition } | null = null;
  for (const r of (await find(query)).results) {
    if (r.chain !== chain || r.seq === null || r.prevHash === null) continue;
    if (r.hash === null || !hashMatches(r.hash, r.prevHash, r.seq, { ...r, chain })) continue;
    // A look-alike that no purge wrote is passed over, as verify passes over it.
    const sets = recordedStart(r, chain);
    if (sets !== null && (latest === null || r.seq > latest.seq)) latest = { seq: r.seq, sets };
  }
  return latest?.sets.seq === start.seq && latest.sets.hash === start.hash;
}

/**
 * Retention that keeps every chain verifiable: in each partition, deletes the longest prefix of
 * the chain whose entries are all older than `before` (and of `tools`, when given; earlier cut
 * records go whatever the tools), records the last deleted entry's `(seq, hash)` as the
 * partition's new start, and appends a cut record (see `cutRecord`) stating the move, all under
 * the partition's lock. An entry that must stay (newer, or of another tool) ends the prefix, so a
 * chain never gets a hole: with `partition: 'default'` and a tool filter, old entries of that
 * tool behind a newer entry of another tool stay until that one goes too. The prefix is verified
 * before it is deleted, so retention never erases the evidence of tampering: a broken prefix
 * throws `IntegrityError`, and so does a start (`start.seq > 0`) that no cut record proves, when
 * `find` is given (the next cut record would otherwise state it as its previous start).
 *
 * @returns how many entries were deleted, over all partitions (cut records appended not counted).
 */
export async function purgeChains(
  storage: ChainStorage,
  before: Date,
  tools: readonly string[] | undefined,
  clock: () => Date = () => new Date(),
  find?: FindEntries,
): Promise<number> {
  let deleted = 0;
  for (const chain of await storage.listChains()) {
    const head = await storage.chainHead(chain);
    // Entries without a head are not eventlog's to cut: verify reports them.
    if (head === null) continue;
    if (find && head.start.seq > 0 && !(await startProven(find, chain, head.start))) {
      throw new IntegrityError(chain, {
        seq: head.start.seq,
        reason: `the start of the partition (seq ${head.start.seq}) was moved outside eventlog: no purge recorded in the chain cut it there`,
      });
    }
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
