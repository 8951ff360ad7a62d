/**
 * The typical update entry of the core benchmark: a template with two placeholders read from
 * class instances, a three-key diff, and actor plus request metadata from the context.
 */

import type { EventLogContext, LogInput } from '@eventlog/core';

/** A domain object as an ORM or service layer would hand it over. */
export class Item {
  constructor(
    public id: number,
    public name: string,
    public price: number,
    public status: string,
  ) {}
}

/** The acting user. */
export class User {
  constructor(
    public id: number,
    public fullName: string,
    public email: string,
  ) {}
}

/** The request context every entry of a round is logged in. */
export function requestContext(user: User): EventLogContext {
  return { actor: user, ip: '203.0.113.9', userAgent: 'Mozilla/5.0 (bench)', requestId: 'req-1' };
}

/** The template every entry uses. */
export const TEMPLATE = 'Item {item__name} was updated by {user__full_name}.';

/** `count` distinct update inputs (different ids, names and prices). */
export function updateInputs(count: number, user: User): LogInput[] {
  const out: LogInput[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const item = new Item(i + 1, `Certificate ${i}`, 100 + i, 'active');
    out[i] = {
      template: TEMPLATE,
      values: { item__name: item, user__full_name: user },
      object: item,
      tool: 'inventory',
      action: 'update',
      changes: {
        oldValue: { price: 99 + i, status: 'draft', tags: ['a'] },
        newValue: { price: 100 + i, status: 'active', tags: ['a', 'b'] },
      },
    };
  }
  return out;
}
