import { linkByPartition, partitionsOf } from '@eventlog/core/storage';
import { describe, expect, it } from 'vitest';
import { chainInput, linkEntries } from '../../src/integrity/hash';
import type { ChainedEntry, ChainPosition } from '../../src/integrity/port';

// The linking half every adapter's append shares: the lock order (sorted partition names, so two
// batches over the same partitions cannot deadlock), each partition linked after its own head, the
// new heads, and the entries handed back in input order.

const input = (chain: string, message: string) =>
  chainInput(
    {
      timestamp: new Date(Date.UTC(2024, 0, 1)),
      actorId: null,
      actorLabel: null,
      message,
      template: null,
      values: null,
      tool: 'items',
      action: 'update',
      objectType: null,
      objectId: null,
      changes: null,
      metadata: null,
      eventId: null,
      batchId: null,
    },
    chain,
  );

describe('linkByPartition', () => {
  it('locks the partitions in sorted order, links each after its head, and keeps input order', async () => {
    const entries = [input('b', 'b1'), input('a', 'a1'), input('b', 'b2'), input('c', 'c1')];
    expect(partitionsOf(entries)).toEqual(['a', 'b', 'c']);
    const heads: Record<string, ChainPosition> = {
      a: { seq: 4, hash: 'a'.repeat(64) },
      b: { seq: 0, hash: '0'.repeat(64) },
      c: { seq: 9, hash: 'c'.repeat(64) },
    };
    const calls: string[] = [];
    const moved: Record<string, ChainedEntry> = {};
    const linked = await linkByPartition(
      entries,
      linkEntries,
      async (chain) => {
        calls.push(`lock ${chain}`);
        return heads[chain] as ChainPosition;
      },
      async (chain, last) => {
        calls.push(`move ${chain}`);
        moved[chain] = last;
      },
    );
    expect(calls).toEqual(['lock a', 'move a', 'lock b', 'move b', 'lock c', 'move c']);
    expect(linked.map((e) => [e.message, e.chain, e.seq])).toEqual([
      ['b1', 'b', 1],
      ['a1', 'a', 5],
      ['b2', 'b', 2],
      ['c1', 'c', 10],
    ]);
    expect(linked[0]?.prevHash).toBe(heads.b?.hash);
    expect(linked[2]?.prevHash).toBe(linked[0]?.hash);
    expect(linked[1]?.prevHash).toBe(heads.a?.hash);
    expect(moved).toEqual({ a: linked[1], b: linked[2], c: linked[3] });
  });

  it('asks a one-partition batch its head once, and an empty batch nothing', async () => {
    const calls: string[] = [];
    const lock = async (chain: string) => {
      calls.push(chain);
      return { seq: 0, hash: '0'.repeat(64) };
    };
    const linked = await linkByPartition(
      [input('z', '1'), input('z', '2')],
      linkEntries,
      lock,
      async () => {},
    );
    expect(calls).toEqual(['z']);
    expect(linked.map((e) => e.seq)).toEqual([1, 2]);
    expect(await linkByPartition([], linkEntries, lock, async () => {})).toEqual([]);
    expect(partitionsOf([])).toEqual([]);
    expect(calls).toEqual(['z']);
  });
});
