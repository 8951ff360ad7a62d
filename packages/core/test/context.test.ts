import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { getContext, runWithContext } from '../src/index';

describe('request context', () => {
  it('is undefined outside runWithContext', () => {
    expect(getContext()).toBeUndefined();
  });

  it('returns what fn returns and follows awaits, timers and callbacks', async () => {
    const ctx = { requestId: 'r1', ip: '10.0.0.1' };
    const seen = await runWithContext(ctx, async () => {
      const before = getContext();
      await sleep(1);
      const afterAwait = getContext();
      const inTimer = await new Promise((resolve) => setTimeout(() => resolve(getContext()), 1));
      const inMicrotask = await Promise.resolve().then(() => getContext());
      return [before, afterAwait, inTimer, inMicrotask];
    });
    for (const value of seen) expect(value).toBe(ctx);
    expect(getContext()).toBeUndefined();
  });

  it('keeps concurrent contexts apart', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `req-${i}`);
    const results = await Promise.all(
      ids.map((requestId, i) =>
        runWithContext({ requestId }, async () => {
          // Interleave the tasks so a shared variable would be overwritten.
          await sleep(20 - i);
          const first = getContext()?.requestId;
          await sleep(i % 3);
          return [first, getContext()?.requestId];
        }),
      ),
    );
    expect(results).toEqual(ids.map((id) => [id, id]));
  });

  it('nests: the inner context wins inside, the outer comes back after', () => {
    runWithContext({ requestId: 'outer' }, () => {
      runWithContext({ requestId: 'inner' }, () => {
        expect(getContext()?.requestId).toBe('inner');
      });
      expect(getContext()?.requestId).toBe('outer');
    });
  });
});
