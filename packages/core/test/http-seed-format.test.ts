import { describe, expect, it } from 'vitest';
import { createObjectLogRoute, EventLogAction, EventLogService, memoryStorage } from '../src/index';

// The "Example Response" of the seed's README (django-simple-eventlog 0.1.0), verbatim.
const SEED_EXAMPLE = `{
    "count": 2,
    "results": [
        {
            "id": 2,
            "actor": "John Doe",
            "message": "Item Certificate A was updated by John Doe.",
            "timestamp": "2023-11-12T15:26:12.275092Z",
            "object_id": 1,
            "tool": "example_feature",
            "action": "update",
            "changes": {
                "new_value": {
                    "status": "inactive"
                },
                "old_value": {
                    "status": "active"
                }
            },
            "object_type": 15
        },
        {
            "id": 1,
            "actor": "John Doe",
            "message": "Created a new request",
            "timestamp": "2023-11-12T15:25:23.776353Z",
            "object_id": 1,
            "tool": "example_request",
            "action": "create",
            "changes": null,
            "object_type": 15
        }
    ]
}`;

describe('seed response format', () => {
  it('renders the seed README example response literally (to the millisecond)', async () => {
    const storage = memoryStorage();
    const service = new EventLogService(storage);
    // Stored directly: this test is about rendering, not about template or diff.
    const common = {
      actorId: '7',
      actorLabel: 'John Doe',
      objectType: '15', // Django's ContentType id, as in the seed's example
      objectId: '1',
      metadata: null,
      eventId: null,
      batchId: null,
    };
    await storage.insert([
      {
        ...common,
        timestamp: new Date('2023-11-12T15:25:23.776Z'),
        message: 'Created a new request',
        template: 'Created a new request',
        values: null,
        tool: 'example_request',
        action: EventLogAction.CREATE,
        changes: null,
      },
    ]);
    await storage.insert([
      {
        ...common,
        timestamp: new Date('2023-11-12T15:26:12.275Z'),
        message: 'Item Certificate A was updated by John Doe.',
        template: 'Item {item__name} was updated by {user__full_name}.',
        values: { item__name: 'Certificate A', user__full_name: 'John Doe' },
        tool: 'example_feature',
        action: EventLogAction.UPDATE,
        changes: { oldValue: { status: 'active' }, newValue: { status: 'inactive' } },
      },
    ]);
    const route = createObjectLogRoute(service, {
      objectType: '15',
      authorize: 'public',
      format: 'seed',
    });
    const res = await route.handle({
      params: { id: '1' },
      query: '',
      path: '/certificates/1/log/',
      headers: {},
      native: {},
    });
    expect(res.status).toBe(200);
    // A JS Date holds milliseconds; Django kept microseconds. Everything else is byte-equal.
    const expected = SEED_EXAMPLE.replace(/(\.\d{3})\d{3}Z/g, '$1000Z');
    expect(JSON.stringify(res.body, null, 4)).toBe(expected);
  });
});
