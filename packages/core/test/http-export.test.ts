import { describe, expect, it } from 'vitest';
import { EventLogService, memoryStorage } from '../src';
import { createEventLogRoutes, type EventLogReader } from '../src/http';

describe('export route', () => {
  it('a page failing after the 200 ends the stream with the error and reports it to onError', async () => {
    const service = new EventLogService(memoryStorage());
    await service.logMany(
      Array.from({ length: 501 }, (_, i) => ({ template: `e${i}`, tool: 't', action: 'a' })),
    );
    const boom = new Error('the database went away');
    // Reads the first page, fails on the next: the export has already started writing.
    const reader: EventLogReader = {
      list: async (query) => {
        if (query.cursor) throw boom;
        return service.list(query);
      },
      get: (id) => service.get(id),
    };
    const reported: unknown[] = [];
    const route = createEventLogRoutes(reader, {
      authorize: 'public',
      onError: (error) => reported.push(error),
    }).find((r) => r.name === 'export');
    const out = await route?.handle({
      params: {},
      query: 'format=ndjson',
      path: '/export',
      headers: {},
      native: null,
    });
    expect(out?.status).toBe(200);
    const lines: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of out?.stream ?? []) lines.push(chunk);
      })(),
    ).rejects.toBe(boom);
    expect(lines.join('').split('\n').filter(Boolean)).toHaveLength(500);
    expect(reported).toEqual([boom]);
  });
});
