import { createDiffSchema, EventLogAction, type EventLogService } from '@eventlog/core';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { DemoUser } from './users';

export const ITEMS_TOOL = 'example_feature';

/** An item as the API shows it (and as the diff compares it). */
export interface Item {
  id: number;
  name: string;
  status: string;
  quantity: number;
  ownerId: string;
  createdAt: string;
  updatedAt: string;
}

const itemFields = {
  name: z.string().trim().min(1).max(200),
  status: z.enum(['active', 'inactive', 'archived']),
  quantity: z.number().int().min(0).max(1_000_000),
};
export const itemCreateSchema = z
  .object({
    ...itemFields,
    status: itemFields.status.default('active'),
    quantity: itemFields.quantity.default(0),
  })
  .strict();
// No defaults here: a partial update must not reset the fields it does not name.
export const itemUpdateSchema = z.object(itemFields).partial().strict();

interface ItemRow {
  id: number;
  name: string;
  status: string;
  quantity: number;
  owner_id: string;
  created_at: string | Date;
  updated_at: string | Date;
}

function toItem(row: ItemRow): Item {
  return {
    id: Number(row.id),
    name: row.name,
    status: row.status,
    quantity: Number(row.quantity),
    ownerId: row.owner_id,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Test seam: runs inside the transaction right after the entry is logged. */
export interface UpdateHooks {
  afterLog?: () => void | Promise<void>;
}

/**
 * The items resource. Every change and its log entry share one transaction, as in the seed's
 * `@transaction.atomic` views: both commit, or neither does.
 */
export function itemsModel(db: Knex, eventlog: EventLogService<Knex.Transaction>) {
  const byId = async (q: Knex, id: number) => {
    const row = await q<ItemRow>('items').where({ id }).first();
    return row ? toItem(row) : undefined;
  };

  return {
    async list(): Promise<Item[]> {
      return (await db<ItemRow>('items').orderBy('id')).map(toItem);
    },

    get: (id: number) => byId(db, id),

    async create(input: z.input<typeof itemCreateSchema>, user: DemoUser, at = new Date()) {
      const data = itemCreateSchema.parse(input);
      return db.transaction(async (trx) => {
        const now = at.toISOString();
        const [row] = await trx<ItemRow>('items')
          .insert({ ...data, owner_id: user.id, created_at: now, updated_at: now })
          .returning('*');
        const item = toItem(row as ItemRow);
        await eventlog.log(
          {
            template: 'Item {item__name} was created by {user__full_name}.',
            values: { item__name: item, user__full_name: user },
            object: { type: 'Item', id: item.id },
            actor: user,
            tool: ITEMS_TOOL,
            action: EventLogAction.CREATE,
            timestamp: at,
          },
          { transaction: trx },
        );
        return item;
      });
    },

    async update(
      id: number,
      input: z.input<typeof itemUpdateSchema>,
      user: DemoUser,
      hooks: UpdateHooks = {},
      at = new Date(),
    ) {
      const patch = itemUpdateSchema.parse(input);
      return db.transaction(async (trx) => {
        const before = await byId(trx, id);
        if (!before) return undefined;
        await trx('items')
          .where({ id })
          .update({ ...patch, updated_at: at.toISOString() });
        const after = (await byId(trx, id)) as Item;
        await eventlog.log(
          {
            template: 'Item {item__name} was updated by {user__full_name}.',
            values: { item__name: after, user__full_name: user },
            object: { type: 'Item', id },
            actor: user,
            tool: ITEMS_TOOL,
            action: EventLogAction.UPDATE,
            changes: createDiffSchema(before, after, { excludeKeys: ['updatedAt'] }),
            timestamp: at,
          },
          { transaction: trx },
        );
        await hooks.afterLog?.();
        return after;
      });
    },

    async remove(id: number, user: DemoUser, at = new Date()) {
      return db.transaction(async (trx) => {
        const item = await byId(trx, id);
        if (!item) return false;
        await trx('items').where({ id }).delete();
        await eventlog.log(
          {
            template: 'Item {item__name} was deleted by {user__full_name}.',
            values: { item__name: item, user__full_name: user },
            object: { type: 'Item', id },
            actor: user,
            tool: ITEMS_TOOL,
            action: EventLogAction.DELETE,
            timestamp: at,
          },
          { transaction: trx },
        );
        return true;
      });
    },
  };
}

export type ItemsModel = ReturnType<typeof itemsModel>;
