import { captureTable } from '@eventlog/adapter-knex';
import { type EventLogService, getContext, runWithContext } from '@eventlog/core';
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
 * The items resource. Writes go through a tracked table: each one and its log entry share one
 * transaction, as in the seed's `@transaction.atomic` views (both commit, or neither does), and
 * the capture reads the row before and after and diffs it. The acting user comes from the
 * request context (`eventLogContext`), or from `runWithContext` for calls outside a request.
 */
export function itemsModel(db: Knex, eventlog: EventLogService<Knex.Transaction>) {
  const table = captureTable<ItemRow & Record<string, unknown>>(eventlog, db, 'items', {
    objectType: 'Item',
    tool: ITEMS_TOOL,
    exclude: ['updated_at'],
    templates: {
      create: 'Item {record__name} was created.',
      update: 'Item {record__name} was updated.',
      delete: 'Item {record__name} was deleted.',
    },
  });
  const byId = async (q: Knex, id: number) => {
    const row = await q<ItemRow>('items').where({ id }).first();
    return row ? toItem(row) : undefined;
  };
  const as = <T>(user: DemoUser, fn: () => Promise<T>) =>
    runWithContext({ ...getContext(), actor: user }, fn);

  return {
    async list(): Promise<Item[]> {
      return (await db<ItemRow>('items').orderBy('id')).map(toItem);
    },

    get: (id: number) => byId(db, id),

    async create(input: z.input<typeof itemCreateSchema>, user: DemoUser, at = new Date()) {
      const data = itemCreateSchema.parse(input);
      const now = at.toISOString();
      const [row] = await as(user, () =>
        table.insert([{ ...data, owner_id: user.id, created_at: now, updated_at: now }], {
          timestamp: at,
        }),
      );
      return toItem(row as ItemRow);
    },

    async update(
      id: number,
      input: z.input<typeof itemUpdateSchema>,
      user: DemoUser,
      hooks: UpdateHooks = {},
      at = new Date(),
    ) {
      const patch = itemUpdateSchema.parse(input);
      return as(user, () =>
        db.transaction(async (trx) => {
          const [row] = await table.update(
            { id },
            { ...patch, updated_at: at.toISOString() },
            { transaction: trx, timestamp: at },
          );
          if (!row) return undefined;
          await hooks.afterLog?.();
          return toItem(row);
        }),
      );
    },

    async remove(id: number, user: DemoUser, at = new Date()) {
      const removed = await as(user, () => table.delete({ id }, { timestamp: at }));
      return removed.length > 0;
    },
  };
}

export type ItemsModel = ReturnType<typeof itemsModel>;
