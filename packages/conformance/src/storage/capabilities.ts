import { describe, expect, it } from 'vitest';
import type { StorageConformanceOptions } from '../harness';
import { useHarness } from './support';

/**
 * The storage declares exactly the capabilities its test file states. A capability dropped by
 * mistake would otherwise pass unnoticed: the tests that need it skip, they do not fail.
 */
export function capabilityTests<Tx>(options: StorageConformanceOptions<Tx>): void {
  describe('declared capabilities', () => {
    const s = useHarness(options);

    it('are the ones the adapter test states', (ctx) => {
      if (options.capabilities === undefined) {
        ctx.skip('the adapter test states no `capabilities` to pin');
      }
      const declared = s.harness().storage.capabilities;
      expect({
        transactions: declared.transactions,
        eventIdLookup: declared.eventIdLookup ?? false,
        integrity: declared.integrity ?? false,
      }).toEqual({ eventIdLookup: false, integrity: false, ...options.capabilities });
    });
  });
}
