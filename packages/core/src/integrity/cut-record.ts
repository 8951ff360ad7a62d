import type { EventLog } from '../schemas';
import { chainInput } from './hash';
import type { ChainInput, ChainPosition } from './port';

/** The `tool` of the entries eventlog appends to a chain to record a purge's cut. */
export const CUT_TOOL = 'eventlog';
/** The `action` of a cut record. */
export const CUT_ACTION = 'purge';

/**
 * The entry a purge appends to partition `chain` when it moves the start from `previous` to
 * `cut`: tool `eventlog`, action `purge`, object `{ type: 'chain', id: chain }`, and `changes`
 * holding the start before and after. Inside the chain, the cut is covered by the hashes that
 * follow it and by any later checkpoint, so `verify` can tell a start moved by eventlog from one
 * moved by hand.
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

/** The start a cut record of partition `chain` set, or null when `entry` is not one. */
export function recordedStart(entry: EventLog, chain: string): ChainPosition | null {
  if (!isCutRecord(entry) || entry.objectId !== chain) return null;
  const start = (entry.changes?.newValue as { start?: unknown } | undefined)?.start as
    | { seq?: unknown; hash?: unknown }
    | undefined;
  if (typeof start?.seq !== 'number' || typeof start.hash !== 'string') return null;
  return { seq: start.seq, hash: start.hash };
}
