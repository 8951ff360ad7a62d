import { runStorageConformance } from '@eventlog/conformance';
import { type EventLog, type MemoryTransaction, memoryStorage } from '@eventlog/core';
import type { EventLogStorage } from '@eventlog/core/storage';

// The reference storage runs the whole suite. It has no separate raw read path, so `readRaw`
// is its `get`: the deep copies it hands out are what it holds.
runStorageConformance<MemoryTransaction>({
  name: 'memory',
  capabilities: { transactions: true, eventIdLookup: true, integrity: true },
  async create() {
    const storage = memoryStorage();
    return {
      storage,
      readRaw: (id: string): Promise<EventLog | null> => storage.get(id),
      withTransaction: (fn) => storage.transaction(fn),
      async close() {},
    };
  },
  // A backend that fails every call, the way a dropped connection does.
  async broken(): Promise<EventLogStorage<MemoryTransaction>> {
    const down = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:1');
    };
    return {
      name: 'memory',
      capabilities: { transactions: true },
      insert: down,
      find: down,
      get: down,
      deleteBefore: down,
    };
  },
});
