/** Bulk-loads synthetic rows straight in SQL (no round trip per row). */

import type { Knex } from 'knex';

export const TOOLS = 50;
export const OBJECTS = 10_000;
export const ACTORS = 100;

// Tools are skewed by squaring a uniform draw: tool_0 holds ~14% of the rows, tool_49 ~1%.
const pgLoad = (rows: number) => `
INSERT INTO ?? ("timestamp", actor_id, actor_label, message, template, "values", tool, action,
                object_type, object_id, changes, metadata, event_id)
SELECT timestamptz '2024-01-01 00:00:00+00' + g * interval '31 milliseconds' + (g % 7) * interval '1 microsecond',
       'user_' || (g % ${ACTORS}), 'User ' || (g % ${ACTORS}),
       'Item ' || (g % ${OBJECTS}) || ' was updated', 'Item {item__name} was updated',
       jsonb_build_object('item__name', 'Item ' || (g % ${OBJECTS})),
       'tool_' || floor(${TOOLS} * power(random(), 2))::int,
       (ARRAY['create','update','delete'])[1 + g % 3],
       'Item', (g % ${OBJECTS})::text,
       '{"oldValue":{"name":"a"},"newValue":{"name":"b"}}'::jsonb, '{"ip":"127.0.0.1"}'::jsonb, NULL
FROM generate_series(1, ${rows}) AS g`;

const sqliteLoad = (rows: number) => `
WITH RECURSIVE g(i, r) AS (
  SELECT 1, (abs(random()) % 1000000) / 1000000.0
  UNION ALL SELECT i + 1, (abs(random()) % 1000000) / 1000000.0 FROM g WHERE i < ${rows})
INSERT INTO ?? ("timestamp", actor_id, actor_label, message, template, "values", tool, action,
                object_type, object_id, changes, metadata, event_id)
SELECT strftime('%Y-%m-%dT%H:%M:%f', 1704067200 + i * 0.031, 'unixepoch') || printf('%03dZ', i % 7),
       'user_' || (i % ${ACTORS}), 'User ' || (i % ${ACTORS}),
       'Item ' || (i % ${OBJECTS}) || ' was updated', 'Item {item__name} was updated',
       json_object('item__name', 'Item ' || (i % ${OBJECTS})),
       'tool_' || CAST(${TOOLS} * r * r AS INTEGER),
       CASE i % 3 WHEN 0 THEN 'create' WHEN 1 THEN 'update' ELSE 'delete' END,
       'Item', CAST(i % ${OBJECTS} AS TEXT),
       '{"oldValue":{"name":"a"},"newValue":{"name":"b"}}', '{"ip":"127.0.0.1"}', NULL
FROM g`;

/** Loads `rows` rows into `table` (which exists, with its indexes), then vacuums / analyzes. */
export async function loadRows(knex: Knex, table: string, rows: number): Promise<void> {
  const pg = knex.client.dialect === 'postgresql';
  await knex.raw(pg ? pgLoad(rows) : sqliteLoad(rows), [table]);
  // What autovacuum does after a bulk load (visibility map for index-only counts), done now so
  // the numbers do not depend on when it happens to run.
  await knex.raw(pg ? 'VACUUM ANALYZE ??' : 'ANALYZE', pg ? [table] : []);
}
