/** Bulk-loads rows for the search bench straight in SQL (no round trip per row). */

import type { Knex } from 'knex';

/** The word in 1% of the messages. */
export const COMMON_WORD = 'escalated';
/** A word in no message. */
export const ABSENT_WORD = 'zanzibar';
/** The rarest tool of the skewed draw (~1% of the rows). */
export const RARE_TOOL = 'tool_49';

// Tools are skewed by squaring a uniform draw, as in the knex bench: tool_0 holds ~14% of the
// rows, tool_49 ~1%. Every hundredth message holds COMMON_WORD.
const message = (g: string) =>
  `'Item ' || (${g} % 10000) || ' of order ' || (${g} % 977) || ' was ' || CASE WHEN ${g} % 100 = 0 THEN '${COMMON_WORD}' ELSE 'updated' END || ' by User ' || (${g} % 100)`;

const pgLoad = (rows: number) => `
INSERT INTO ?? ("timestamp", actor_id, actor_label, message, tool, action, object_type, object_id)
SELECT timestamptz '2024-01-01 00:00:00+00' + g * interval '31 milliseconds',
       'user_' || (g % 100), 'User ' || (g % 100), ${message('g')},
       'tool_' || floor(50 * power(random(), 2))::int,
       (ARRAY['create','update','delete'])[1 + g % 3], 'Item', (g % 10000)::text
FROM generate_series(1, ${rows}) AS g`;

const sqliteLoad = (rows: number) => `
WITH RECURSIVE g(i, r) AS (
  SELECT 1, (abs(random()) % 1000000) / 1000000.0
  UNION ALL SELECT i + 1, (abs(random()) % 1000000) / 1000000.0 FROM g WHERE i < ${rows})
INSERT INTO ?? ("timestamp", actor_id, actor_label, message, tool, action, object_type, object_id)
SELECT strftime('%Y-%m-%dT%H:%M:%f', 1704067200 + i * 0.031, 'unixepoch') || '000Z',
       'user_' || (i % 100), 'User ' || (i % 100), ${message('i')},
       'tool_' || CAST(50 * r * r AS INTEGER),
       CASE i % 3 WHEN 0 THEN 'create' WHEN 1 THEN 'update' ELSE 'delete' END,
       'Item', CAST(i % 10000 AS TEXT)
FROM g`;

/** Loads `rows` rows into `table` (which exists, with its indexes), then analyzes. */
export async function loadRows(knex: Knex, table: string, rows: number): Promise<void> {
  const pg = knex.client.dialect === 'postgresql';
  await knex.raw(pg ? pgLoad(rows) : sqliteLoad(rows), [table]);
  await knex.raw(pg ? 'VACUUM ANALYZE ??' : 'ANALYZE', pg ? [table] : []);
}
