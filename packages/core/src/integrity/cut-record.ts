import type { EventLog } from '../schemas';
import { chainInput, contentHash } from './hash';
import type { ChainInput, ChainPosition } from './port';

/**
 * The `tool` of the entries eventlog appends to a chain to record a purge's cut. The tool is
 * reserved: `log()`, `logMany()` and capture refuse it (`RESERVED_TOOL_MESSAGE`), so every entry
 * of tool `eventlog` was written by eventlog itself, and no caller can plant a record that states
 * a start of its choosing (or crowd the real ones out of the lookup that finds the latest).
 */
export const CUT_TOOL = 'eventlog';
/** Why a write of tool `eventlog` is refused (see `CUT_TOOL`). */
export const RESERVED_TOOL_MESSAGE =
  'is reserved: entries of tool "eventlog" are written by eventlog itself (the records of retention\'s cuts)';
/** The `action` of a cut record. */
export const CUT_ACTION = 'purge';

/**
 * The entry a purge appends to partition `chain` when it moves the start from `previous` to
 * `cut`: tool `eventlog`, action `purge`, object `{ type: 'chain', id: chain }`, and `changes`
 * holding the start before and after. Inside the chain, the cut is covered by the hashes that
 * follow it and by any later checkpoint, so `verify` can tell a start moved by eventlog from one
 * moved by hand.
 *
 * Its content is a fixed format that `recordedStart` recomputes: changing a word of it would make
 * every cut record written before prove nothing.
 */
export function cutRecord(
  chain: string,
  previous: ChainPosition,
  cut: ChainPosition,
  timestamp: Date,
): ChainInput {
  const entry = {
    timestamp,
    actorId: null,
    actorLabel: null,
    message: `Retention purged entries ${previous.seq + 1} to ${cut.seq} of chain "${chain}"`,
    template: null,
    values: null,
    tool: CUT_TOOL,
    action: CUT_ACTION,
    objectType: 'chain',
    objectId: chain,
    changes: {
      oldValue: { start: { seq: previous.seq, hash: previous.hash } },
      newValue: { start: { seq: cut.seq, hash: cut.hash } },
    },
    metadata: null,
    eventId: null,
    batchId: null,
  };
  return chainInput(entry, chain);
}

/** True for a cut record of any chain (what purge may delete whatever its tool filter). */
export const isCutRecord = (entry: Pick<EventLog, 'tool' | 'action' | 'objectType'>): boolean =>
  entry.tool === CUT_TOOL && entry.action === CUT_ACTION && entry.objectType === 'chain';

const position = (value: unknown): ChainPosition | null => {
  const p = value as { seq?: unknown; hash?: unknown } | null | undefined;
  if (!Number.isSafeInteger(p?.seq) || typeof p?.hash !== 'string') return null;
  return { seq: p.seq as number, hash: p.hash };
};

/**
 * The start a cut record of partition `chain` set, or null when `entry` is not one. Only an entry
 * whose content is exactly what `cutRecord` writes for the starts it states is one: no template,
 * actor, values, metadata, eventId or batch, that message, a start moved forward. No write path
 * of the API can produce that (a logged entry always has a template, and tool `eventlog` is
 * refused), so a look-alike that was logged, before the tool was reserved too, proves nothing.
 */
export function recordedStart(entry: EventLog, chain: string): ChainPosition | null {
  if (!isCutRecord(entry) || entry.objectId !== chain) return null;
  const changes = entry.changes as {
    oldValue?: { start?: unknown };
    newValue?: { start?: unknown };
  } | null;
  const previous = position(changes?.oldValue?.start);
  const start = position(changes?.newValue?.start);
  if (previous === null || start === null || previous.seq >= start.seq) return null;
  const expected = cutRecord(chain, previous, start, entry.timestamp);
  return expected.contentHash === contentHash({ ...entry, chain }) ? start : null;
}
