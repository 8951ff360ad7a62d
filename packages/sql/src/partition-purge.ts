import type { DeleteFilter } from '@eventlog/core/storage';
import { isPartitioned, type PartitionRow, partitionsOf } from './partitions';
import type { LogStatements, SqlTarget } from './queries';
import type { SqlSession } from './session';
import { Binds, whereClause } from './statement';

/** Whether the log table of `target` is partitioned (PostgreSQL only; false elsewhere). */
export async function isPartitionedTable(session: SqlSession, target: SqlTarget): Promise<boolean> {
  if (target.dialect.kind !== 'postgres') return false;
  return (await session.query(isPartitioned(target.table, target.placeholder))).length > 0;
}

const sameBounds = (a: PartitionRow, b: PartitionRow): boolean =>
  a.lower?.getTime() === b.lower?.getTime() && a.upper?.getTime() === b.upper?.getTime();

/**
 * Retention on a partitioned table, in one transaction: every partition wholly below `cutoff`
 * whose rows all match `filter` is dropped with its changed-keys partition (no row is rewritten,
 * nothing is left for VACUUM), its event ids deleted by range; the rows below `cutoff` elsewhere
 * (the boundary partition, the DEFAULT one, partitions holding rows the filter keeps) are deleted
 * one by one with their changed-keys rows. Returns how many entries went.
 */
export function purgePartitions(
  root: SqlSession,
  target: SqlTarget,
  log: LogStatements,
  cutoff: Date,
  filter?: DeleteFilter,
): Promise<number> {
  const { dialect, placeholder } = target;
  const q = dialect.quote;
  const binds = () => new Binds(placeholder);
  const at = (date: Date) => dialect.encodeTimestamp(date, 'cutoff');

  return root.transaction(async (s) => {
    const parts = await s.query<PartitionRow>(partitionsOf(target.table, placeholder));
    const keyParts = await s.query<PartitionRow>(partitionsOf(target.changedKeys, placeholder));
    let deleted = 0;
    for (const part of parts) {
      if (part.lower === null || part.upper === null || part.upper > cutoff) continue;
      const name = `${q(part.schema)}.${q(part.name)}`;
      const kept = binds();
      const keeps = log.retentionFilter(kept, filter);
      if (keeps.length > 0) {
        const sql = `SELECT 1 FROM ${name} WHERE NOT (${keeps.join(' AND ')}) LIMIT 1`;
        // A filter's NULL (a NULL chain never is; a tool never is NULL) would hide a kept row.
        if ((await s.query(kept.statement(sql))).length > 0) continue;
      }
      const [counted] = await s.query<{ n: string | number }>(
        binds().statement(`SELECT COUNT(*) AS ${q('n')} FROM ${name}`),
      );
      await s.execute(binds().statement(`DROP TABLE ${name}`));
      const sibling = keyParts.find((k) => sameBounds(k, part));
      if (sibling) {
        await s.execute(binds().statement(`DROP TABLE ${q(sibling.schema)}.${q(sibling.name)}`));
      }
      if (target.eventIds !== undefined) {
        const b = binds();
        const range = `${q('entry_ts')} >= ${dialect.timestampParam(b.add(at(part.lower)))} AND ${q('entry_ts')} < ${dialect.timestampParam(b.add(at(part.upper)))}`;
        await s.execute(b.statement(`DELETE FROM ${target.eventIds} WHERE ${range}`));
      }
      deleted += Number(counted?.n ?? 0);
    }
    // The rows left below the cut, with their changed keys; the event-ids trigger sees each.
    const b = binds();
    const where = whereClause([
      `${q('timestamp')} < ${dialect.timestampParam(b.add(at(cutoff)))}`,
      ...log.retentionFilter(b, filter),
    ]);
    const keysBelow = `${q('entry_ts')} < ${dialect.timestampParam(b.add(at(cutoff)))}`;
    const [gone] = await s.query<{ n: string | number }>(
      b.statement(
        `WITH ${q('gone')} AS (DELETE FROM ${target.table}${where} RETURNING ${q('id')}, ${q('timestamp')}), ${q('keys')} AS (DELETE FROM ${target.changedKeys} k USING ${q('gone')} g WHERE k.${q('entry_id')} = g.${q('id')} AND k.${q('entry_ts')} = g.${q('timestamp')} AND k.${keysBelow}) SELECT COUNT(*) AS ${q('n')} FROM ${q('gone')}`,
      ),
    );
    return deleted + Number(gone?.n ?? 0);
  });
}
