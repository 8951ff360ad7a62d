import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  EventLogService,
  MAX_COUNT_LIMIT,
  memoryStorage,
  ValidationError,
} from '../src/index';

async function issuePath(run: () => Promise<unknown>): Promise<string | undefined> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues[0]?.path.join('.');
}

describe('count options', () => {
  const service = new EventLogService(memoryStorage());

  it('refuses a countLimit that is not a whole number from 1 to MAX_COUNT_LIMIT', async () => {
    for (const countLimit of [0, -1, 1.5, MAX_COUNT_LIMIT + 1, Number.NaN]) {
      expect(await issuePath(() => service.list({ withCount: true, countLimit }))).toBe(
        'countLimit',
      );
    }
    await expect(
      service.list({ withCount: true, countLimit: MAX_COUNT_LIMIT }),
    ).resolves.toMatchObject({ count: 0, countExact: true });
  });

  it('takes withCount true, false or "exact", and refuses anything else', async () => {
    await expect(service.list({ withCount: 'exact' })).resolves.toMatchObject({
      count: 0,
      countExact: true,
    });
    for (const withCount of ['approx', 'true', 1, null]) {
      expect(
        await issuePath(() => service.list({ withCount } as unknown as { withCount: boolean })),
      ).toBe('withCount');
    }
  });

  it('refuses a service countLimit out of range when the service is built', () => {
    for (const countLimit of [0, 2.5, MAX_COUNT_LIMIT + 1]) {
      expect(() => new EventLogService(memoryStorage(), { countLimit })).toThrow(
        ConfigurationError,
      );
    }
  });
});
