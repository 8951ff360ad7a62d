import { runIntegrityConformance, type TamperHooks } from '@eventlog/conformance';
import { type MemoryTransaction, memoryStorage } from '@eventlog/core';
import type { MemoryRaw } from '../../src/memory-chain';

// The chain walk, checkpoints and every tamper shape, with no server: the integrity suite on the
// reference storage, tampered with through its live state.
function tamperHooks(raw: MemoryRaw): TamperHooks {
  const entry = (id: string) => {
    const found = raw.entries.get(id);
    if (!found) throw new Error(`no entry ${id}`);
    return found;
  };
  const head = (chain: string) => {
    const found = raw.heads.get(chain);
    if (!found) throw new Error(`no head ${chain}`);
    return found;
  };
  return {
    async updateRaw(id, field, value) {
      Object.assign(entry(id), { [field]: value });
    },
    async deleteRaw(id) {
      raw.entries.delete(id);
    },
    async swapRaw(idA, idB) {
      const [a, b] = [entry(idA), entry(idB)];
      [a.seq, b.seq] = [b.seq, a.seq];
    },
    async rewindHead(chain, seq, hash) {
      Object.assign(head(chain), { seq, hash });
    },
    async deleteHead(chain) {
      raw.heads.delete(chain);
    },
    async moveStart(chain, seq, hash) {
      head(chain).start = { seq, hash };
    },
    // No unique (chain, seq) index here: a duplicate is stored, and verify must find it.
    async insertRaw(fields) {
      const id = raw.nextId();
      raw.entries.set(id, { ...fields, id });
      return id;
    },
    async retimeRaw(id, text) {
      entry(id).timestamp = new Date(text);
      raw.timestampKeys.set(id, text);
    },
  };
}

runIntegrityConformance<MemoryTransaction>({
  name: 'memory',
  async create() {
    const storage = memoryStorage();
    return {
      storage,
      readRaw: (id) => storage.get(id),
      withTransaction: (fn) => storage.transaction(fn),
      tamper: tamperHooks(storage.raw),
      async close() {},
    };
  },
});
