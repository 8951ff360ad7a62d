/**
 * Bulk-loads the history bench's rows straight in SQL (no round trip per row), with their
 * changed-keys rows, as the adapter would have written them.
 */

import type { Knex } from 'knex';

/** The changed-keys table of `table` (the adapters' `<table>_changed_keys`). */
export const changedKeysOf = (table: string): string => `${table}_changed_keys`;

/** Objects the rows are spread over (about 100 entries each), besides the hot one. */
export const OBJECTS = 10_000;
/** Tools, uniform: each holds 2% of the rows. */
export const TOOLS = 50;
/** Every HOT_EVERY-th row belongs to the object `Item`/`hot`. */
export const HOT_EVERY = 1000;

// Row i changes `status` from s(i-1) to s(i), except one row in a hundred, which changes `rare`.
// Ids follow i: the table is fresh, and both loads insert in i order.
const pgLoad = (rows: number) => `
INSERT INTO ?? ("timestamp", actor_id, actor_label, message, template, "values", tool, action,
                object_type, object_id, changes, metadata, event_id)
SELECT timestamptz '2024-01-01 00:00:00+00' + g * interval '31 milliseconds' + (g % 7) * interval '1 microsecond',
       'user_' || (g % 100), 'User ' || (g % 100),
       'Item ' || (g % ${OBJECTS}) || ' was updated', 'Item {item__name} was updated',
       jsonb_build_object('item__name', 'Item ' || (g % ${OBJECTS})),
       'tool_' || (g % ${TOOLS}), 'update', 'Item',
       CASE WHEN g % ${HOT_EVERY} = 0 THEN 'hot' ELSE (g % ${OBJECTS})::text END,
       jsonb_build_object('oldValue', jsonb_build_object(CASE WHEN g % 100 = 1 THEN 'rare' ELSE 'status' END, 's' || (g - 1)),
                          'newValue', jsonb_build_object(CASE WHEN g % 100 = 1 THEN 'rare' ELSE 'status' END, 's' || g)),
       '{"ip":"127.0.0.1"}'::jsonb, NULL
FROM generate_series(1, ${rows}) AS g`;

const sqliteLoad = (rows: number) => `
WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ${rows})
INSERT INTO ?? ("timestamp", actor_id, actor_label, message, template, "values", tool, action,
                object_type, object_id, changes, metadata, event_id)
SELECT strftime('%Y-%m-%dT%H:%M:%f', 1704067200 + i * 0.031, 'unixepoch') || printf('%03dZ', i % 7),
       'user_' || (i % 100), 'User ' || (i % 100),
       'Item ' || (i % ${OBJECTS}) || ' was updated', 'Item {item__name} was updated',
       json_object('item__name', 'Item ' || (i % ${OBJECTS})),
       'tool_' || (i % ${TOOLS}), 'update', 'Item',
       CASE WHEN i % ${HOT_EVERY} = 0 THEN 'hot' ELSE CAST(i % ${OBJECTS} AS TEXT) END,
       json_object('oldValue', json_object(CASE WHEN i % 100 = 1 THEN 'rare' ELSE 'status' END, 's' || (i - 1)),
                   'newValue', json_object(CASE WHEN i % 100 = 1 THEN 'rare' ELSE 'status' END, 's' || i)),
       '{"ip":"127.0.0.1"}', NULL
FROM g`;

// One changed-keys row per entry: the key its changes touch, read back from the stored JSON.
const changedKeys = (pg: boolean) => `
INSERT INTO ?? (entry_id, changed_key, entry_ts)
SELECT id, CASE WHEN ${pg ? `changes->'newValue'->>'rare' IS NOT NULL` : `json_extract(changes, '$.newValue.rare') IS NOT NULL`}
                THEN 'rare' ELSE 'status' END, "timestamp"
FROM ??`;

/**
 * Loads `rows` rows into `table` (created with its indexes and changed-keys table), then their
 * changed-keys rows, then vacuums / analyzes as autovacuum would after a bulk load.
 */
export async function loadRows(knex: Knex, table: string, rows: number): Promise<void> {
  const pg = knex.client.dialect === 'postgresql';
  await knex.raw(pg ? pgLoad(rows) : sqliteLoad(rows), [table]);
  await knex.raw(changedKeys(pg), [changedKeysOf(table), table]);
  if (pg) {
    await knex.raw('VACUUM ANALYZE ??', [table]);
    await knex.raw('VACUUM ANALYZE ??', [changedKeysOf(table)]);
  } else {
    await knex.raw('ANALYZE');
  }
}
