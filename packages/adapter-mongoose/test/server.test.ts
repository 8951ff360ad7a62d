import { describeSuite } from '@eventlog/conformance';
import { jongodbBinary, startMongo, waitForPing } from '@eventlog/test-servers/mongodb';
import { expect, it } from 'vitest';

function binaryMissing(): string | undefined {
  try {
    jongodbBinary();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
const missing = binaryMissing();

describeSuite(
  'startMongo (the jongodb test helper)',
  { name: 'jongodb', unavailable: missing },
  () => {
    it('serves pings once started and is gone once stopped', async () => {
      const server = await startMongo('helper_check');
      expect(server.url).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/helper_check\b/);
      await expect(waitForPing(server.url)).resolves.toBeUndefined();
      await server.stop();
      await expect(waitForPing(server.url, 300)).rejects.toMatchObject({
        name: 'MongoServerSelectionError',
      });
      await server.stop();
    });
  },
);
