import type { ResponseFormat } from './types';

/**
 * The JSON Schema of one page of entries as the list routes answer it (`EventLogPage` in the
 * OpenAPI document): the results, the cursors, and the count with whether it is exact, spelled
 * as `format` spells it (`countExact`; the seed format's `count_exact`, present only when false).
 */
export function eventLogPageSchema(format: ResponseFormat | undefined): Record<string, unknown> {
  return {
    type: 'object',
    required: ['results'],
    properties: {
      count: {
        type: 'integer',
        minimum: 0,
        description:
          'Entries matching the filters (with with_count, or page style). Exact only when countExact is true: otherwise a lower bound, more entries match.',
      },
      ...(format === 'seed'
        ? {
            count_exact: {
              enum: [false],
              description:
                'Present only when count is a lower bound: the count stopped at the server’s limit and more than count entries match. Ask with_count=exact for a full count.',
            },
          }
        : {
            countExact: {
              type: 'boolean',
              description:
                'Present with count: true when count is the number of matches, false when the count stopped at the server’s limit and more than count entries match. Ask with_count=exact for a full count.',
            },
          }),
      next: { type: ['string', 'null'] },
      previous: { type: ['string', 'null'] },
      results: { type: 'array', items: { $ref: '#/components/schemas/EventLog' } },
    },
  };
}
