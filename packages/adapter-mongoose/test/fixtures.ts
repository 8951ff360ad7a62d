import { randomUUID } from 'node:crypto';
import type { NewEventLog } from '@eventlog/core';

/** A complete entry with a random tool, so filters in one test never see another's rows. */
export function entry(overrides: Partial<NewEventLog> = {}): NewEventLog {
  return {
    timestamp: new Date('2026-01-01T00:00:00.000Z'),
    actorId: null,
    actorLabel: null,
    message: 'something happened',
    template: null,
    values: null,
    tool: `tool-${randomUUID()}`,
    action: 'update',
    objectType: null,
    objectId: null,
    changes: null,
    metadata: null,
    eventId: null,
    batchId: null,
    ...overrides,
  };
}
