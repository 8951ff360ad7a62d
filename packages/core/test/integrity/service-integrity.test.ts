import {
  ConfigurationError,
  EventLogService,
  type MemoryStorage,
  memoryStorage,
  type EventLogService as Service,
  StorageError,
  ValidationError,
} from '@eventlog/core';
import type { EventLogStorage } from '@eventlog/core/storage';
import { describe, expect, it } from 'vitest';

// The service's integrity switch and its options, on the reference storage: which storage may
// carry a chain, how entries are assigned to partitions, what each integrity method refuses, and
// which storage operation a failure is reported under.
//
// Mutant of service-operations.ts that survives (equivalent): without integrity, purge passing
// `{ tool: undefined }` instead of no options when no tool is given. A storage's `deleteBefore`
// reads an undefined tool as no filter (the storage suite's retention cases), so nothing tells
// them apart.

const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, seconds));
const entry = (seconds: number, tool = 'items') => ({
  template: `Entry ${seconds}`,
  tool,
  action: 'update',
  timestamp: at(seconds),
});

const refusal = async (call: Promise<unknown>, field: string, message: string) => {
  await expect(call).rejects.toBeInstanceOf(ValidationError);
  await expect(call).rejects.toMatchObject({ message, issues: [{ path: [field] }] });
};

describe('integrity: which storage carries a chain', () => {
  it('refuses a storage that does not declare integrity exactly `true`', () => {
    for (const integrity of [false, undefined, 'yes', 1]) {
      const base = memoryStorage();
      const storage = { ...base, capabilities: { ...base.capabilities, integrity } };
      const create = () =>
        new EventLogService(storage as unknown as EventLogStorage, { integrity: {} });
      expect(create).toThrow(ConfigurationError);
      expect(create).toThrow(
        'the memory storage does not support integrity (capabilities.integrity is not true)',
      );
    }
  });

  it('refuses a storage that declares integrity but lacks a chain member, naming every one missing', () => {
    const { readChain: _r, cutChain: _c, ...partial } = memoryStorage();
    const create = () =>
      new EventLogService(partial as unknown as EventLogStorage, { integrity: {} });
    expect(create).toThrow(ConfigurationError);
    expect(create).toThrow('the memory storage declares integrity but lacks readChain, cutChain');
    for (const member of [
      'appendChained',
      'readChain',
      'chainHead',
      'listChains',
      'cutChain',
      'recordCheckpoint',
    ]) {
      const storage = { ...memoryStorage(), [member]: 'not a function' };
      expect(
        () => new EventLogService(storage as unknown as EventLogStorage, { integrity: {} }),
      ).toThrow(`the memory storage declares integrity but lacks ${member}`);
    }
  });

  it('without the integrity option, every integrity method names itself and the option', async () => {
    const service = new EventLogService(memoryStorage());
    const needs = (operation: string) => `${operation}() needs the service's integrity option`;
    await expect(service.verify()).rejects.toThrow(needs('verify'));
    await expect(service.verify()).rejects.toBeInstanceOf(ConfigurationError);
    await expect(service.checkpoint()).rejects.toThrow(needs('checkpoint'));
    await expect(service.integrityStatus()).rejects.toThrow(needs('integrityStatus'));
    await expect(service.partitions()).rejects.toThrow(needs('partitions'));
    // A storage without the capability still logs and purges without a chain.
    const logged = await service.log(entry(1));
    expect(logged).toMatchObject({ chain: null, seq: null, hash: null });
  });
});

describe('integrity.partition', () => {
  const chainsOf = async (options: object, tools: string[]) => {
    const storage = memoryStorage();
    const service = new EventLogService(storage, { integrity: options }) as Service<unknown>;
    const logged = [];
    for (const [i, tool] of tools.entries()) logged.push(await service.log(entry(i + 1, tool)));
    return { storage, service, logged };
  };

  it("defaults to one chain named 'default', as 'default' does", async () => {
    for (const options of [{}, { partition: 'default' }]) {
      const { service, logged } = await chainsOf(options, ['a', 'b']);
      expect(logged.map((e) => [e.chain, e.seq])).toEqual([
        ['default', 1],
        ['default', 2],
      ]);
      expect(await service.partitions()).toEqual(['default']);
      // One chain: checkpoint() needs no partition.
      expect(await service.checkpoint()).toMatchObject({ partition: 'default', seq: 2 });
    }
  });

  it("'tool' names each chain after its tool, and checkpoint() then needs a partition", async () => {
    const { service, logged } = await chainsOf({ partition: 'tool' }, ['b', 'a', 'b']);
    expect(logged.map((e) => [e.chain, e.seq])).toEqual([
      ['b', 1],
      ['a', 1],
      ['b', 2],
    ]);
    expect(await service.partitions()).toEqual(['a', 'b']);
    await refusal(
      service.checkpoint(),
      'partition',
      'partition: is required: integrity.partition gives the log more than one chain',
    );
    expect(await service.checkpoint({ partition: 'b' })).toMatchObject({ partition: 'b', seq: 2 });
  });

  it('a function names the chain with 1 to 255 characters, and anything else is refused', async () => {
    const named = (name: unknown) =>
      new EventLogService(memoryStorage(), {
        integrity: { partition: () => name as string },
      }) as Service<unknown>;
    for (const name of ['t', 'x'.repeat(255)]) {
      expect(await named(name).log(entry(1))).toMatchObject({ chain: name, seq: 1 });
    }
    for (const name of ['', 'x'.repeat(256), 7, undefined]) {
      await refusal(
        named(name).log(entry(1)),
        'partition',
        'partition: must be a string of 1 to 255 characters',
      );
    }
    // A function partition gives no single chain either.
    await refusal(
      named('t').checkpoint(),
      'partition',
      'partition: is required: integrity.partition gives the log more than one chain',
    );
  });

  it('refuses any other value when the service is created', () => {
    for (const [partition, shown] of [
      ['tenant', '"tenant"'],
      [42, '42'],
      [true, 'true'],
    ] as const) {
      const create = () =>
        new EventLogService(memoryStorage(), { integrity: { partition: partition as 'tool' } });
      expect(create).toThrow(ConfigurationError);
      expect(create).toThrow(
        `integrity.partition must be 'default', 'tool' or a function, not ${shown}`,
      );
    }
  });

  it('refuses a checkpoint or verify partition name outside 1 to 255 characters', async () => {
    const { service } = await chainsOf({}, ['a']);
    for (const partition of ['', 'x'.repeat(256)]) {
      await refusal(
        service.checkpoint({ partition }),
        'partition',
        'partition: must be a string of 1 to 255 characters',
      );
      await refusal(
        service.verify({ partition }),
        'partition',
        'partition: must be a string of 1 to 255 characters',
      );
    }
  });
});

describe('integrity: purge options', () => {
  const chained = async () => {
    const storage = memoryStorage();
    const service = new EventLogService(storage, { integrity: { partition: 'tool' } });
    return { storage, service: service as Service<unknown> };
  };

  it('refuses a missing or invalid `before`, and an empty or non-string tool', async () => {
    const { service } = await chained();
    const plain = new EventLogService(memoryStorage());
    for (const s of [service, plain]) {
      await refusal(
        s.purge(undefined as unknown as { before: Date }),
        'before',
        'before: must be a valid Date',
      );
      for (const before of [undefined, new Date(Number.NaN), '2024-01-01', 0]) {
        await refusal(
          s.purge({ before } as unknown as { before: Date }),
          'before',
          'before: must be a valid Date',
        );
      }
      for (const tool of ['', [''], ['items', ''], [3]]) {
        await refusal(
          s.purge({ before: at(9), tool } as unknown as { before: Date }),
          'tool',
          'tool: must be a non-empty string or an array of them',
        );
      }
    }
  });

  it('counts the chained entries cut and the unchained rows deleted, of the tools asked', async () => {
    const storage = memoryStorage();
    const plain = new EventLogService(storage);
    // Rows stored before integrity was on: no chain.
    await plain.log(entry(1, 'a'));
    await plain.log(entry(2, 'b'));
    const service = new EventLogService(storage, { integrity: { partition: 'tool' } });
    await service.log(entry(3, 'a'));
    await service.log(entry(4, 'b'));
    await service.log(entry(5, 'c'));
    // One unchained and one chained row of tool a.
    expect(await service.purge({ before: at(9), tool: 'a' })).toBe(2);
    expect(await service.purge({ before: at(9), tool: ['b', 'c'] })).toBe(3);
    const left = await service.list({ limit: 10 });
    expect(left.results.map((e) => [e.tool, e.action])).toEqual(
      expect.arrayContaining([
        ['eventlog', 'purge'],
        ['eventlog', 'purge'],
        ['eventlog', 'purge'],
      ]),
    );
    expect(left.results).toHaveLength(3);
  });

  it('without integrity, deletes only the tools asked', async () => {
    const storage = memoryStorage();
    const plain = new EventLogService(storage);
    await plain.log(entry(1, 'a'));
    await plain.log(entry(2, 'b'));
    await plain.log(entry(3, 'c'));
    expect(await plain.purge({ before: at(9), tool: ['a', 'c'] })).toBe(2);
    expect((await plain.list({})).results.map((e) => e.tool)).toEqual(['b']);
    expect(await plain.purge({ before: at(9) })).toBe(1);
  });
});

describe('integrity: a failing storage operation is named', () => {
  const failing = (storage: MemoryStorage, member: string) =>
    ({
      ...storage,
      [member]: async () => {
        throw new Error('disk gone');
      },
    }) as unknown as MemoryStorage;

  const named = async (call: Promise<unknown>, operation: string) => {
    await expect(call).rejects.toBeInstanceOf(StorageError);
    await expect(call).rejects.toMatchObject({
      operation,
      message: `memory storage failed during ${operation}: disk gone`,
    });
  };

  it('reports each integrity method under the storage operation that failed', async () => {
    const base = memoryStorage();
    await new EventLogService(base, { integrity: {} }).log(entry(1));
    const over = (member: string) =>
      new EventLogService(failing(base, member), { integrity: {} }) as Service<unknown>;
    await named(over('readChain').verify(), 'readChain');
    await named(over('readChain').integrityStatus(), 'readChain');
    await named(over('recordCheckpoint').checkpoint(), 'recordCheckpoint');
    await named(over('listChains').partitions(), 'listChains');
    await named(over('cutChain').purge({ before: at(9) }), 'cutChain');
    await named(over('deleteBefore').purge({ before: at(0) }), 'deleteBefore');
    await named(
      new EventLogService(failing(base, 'deleteBefore')).purge({ before: at(0) }),
      'deleteBefore',
    );
  });
});
