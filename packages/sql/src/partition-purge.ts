import type { DeleteFilter } from '@eventlog/core/storage';
import { type PartitionRow, partitionsOf } from './partitions';
import type { LogStatements, SqlTarget } from './queries';
import type { SqlSession } from './session';
import { Binds, whereClause } from './statement';

const sameBounds = (a: PartitionRow, b: PartitionRow): boolean =>
  a.lower?.getTime() === b.lower?.getTime() && a.upper?.getTime() === b.upper?.getTime();

/**
 * Retention on PostgreSQL, inside the caller's transaction `s`: null when the log table has no
 * partitions (the caller deletes rows as on any table). Otherwise every partition wholly below
 * `cutoff` whose rows all match `filter` is dropped with its changed-keys partition (no row is
 * rewritten, nothing is left for VACUUM), its event ids deleted by range; the rows below `cutoff`
 * elsewhere (the boundary partition, the DEFAULT one, partitions holding rows the filter keeps)
 * are deleted one by one with their changed-keys rows, partition by partition. Returns how many
 * entries went.
 *
 * A month to drop is locked against writes before it is read, so the count is exactly what the
 * drop removes. The drops come last, in one statement: dropping a partition locks the whole log
 * table until the commit (PostgreSQL removes the month's files once the locks are released).
 */
export async function purgePartitions(
  s: SqlSession,
  target: SqlTarget,
  log: LogStatements,
  cutoff: Date,
  filter?: DeleteFilter,
): Promise<number | null> {
  const { dialect, placeholder } = target;
  const q = dialect.quote;
  const binds = () => new Binds(placeholder);
  const at = (date: Date) => dialect.encodeTimestamp(date, 'cutoff');
  const nameOf = (part: PartitionRow) => `${q(part.schema)}.${q(part.name)}`;

  /** Locks `part` against writes and returns its row count, or null when `filter` keeps a row. */
  async function countWhole(part: PartitionRow): Promise<number | null> {
    const name = nameOf(part);
    await s.execute(binds().statement(`LOCK TABLE ${name} IN SHARE MODE`));
    const kept = binds();
    const keeps = log.retentionFilter(kept, filter);
    if (keeps.length > 0) {
      const sql = `SELECT 1 FROM ${name} WHERE NOT (${keeps.join(' AND ')}) LIMIT 1`;
      // A filter's NULL (a NULL chain never is; a tool never is NULL) would hide a kept row.
      if ((await s.query(kept.statement(sql))).length > 0) return null;
    }
    const [counted] = await s.query<{ n: string | number }>(
      binds().statement(`SELECT COUNT(*) AS ${q('n')} FROM ${name}`),
    );
    return Number(counted?.n ?? 0);
  }

  /** Deletes the rows of `part` below the cut (and of `filter`) with their changed keys. */
  async function deleteRows(part: PartitionRow): Promise<number> {
    const b = binds();
    const where = whereClause([
      `${q('timestamp')} < ${dialect.timestampParam(b.add(at(cutoff)))}`,
      ...log.retentionFilter(b, filter),
    ]);
    const keysBelow = `${q('entry_ts')} < ${dialect.timestampParam(b.add(at(cutoff)))}`;
    // The event-ids trigger, cloned onto every partition, sees each deleted row.
    const [gone] = await s.query<{ n: string | number }>(
      b.statement(
        `WITH ${q('gone')} AS (DELETE FROM ${nameOf(part)}${where} RETURNING ${q('id')}, ${q('timestamp')}), ${q('keys')} AS (DELETE FROM ${target.changedKeys} k USING ${q('gone')} g WHERE k.${q('entry_id')} = g.${q('id')} AND k.${q('entry_ts')} = g.${q('timestamp')} AND k.${keysBelow}) SELECT COUNT(*) AS ${q('n')} FROM ${q('gone')}`,
      ),
    );
    return Number(gone?.n ?? 0);
  }

  // Both parents in one catalog read.
  const all = await s.query<PartitionRow>(
    partitionsOf([target.table, target.changedKeys], placeholder),
  );
  const parts = all.filter((p) => Number(p.parent) === 1);
  if (parts.length === 0) return null;
  const keyParts = all.filter((p) => Number(p.parent) === 2);
  const drops: PartitionRow[] = [];
  let deleted = 0;
  for (const part of parts) {
    const whole = part.lower !== null && part.upper !== null && part.upper <= cutoff;
    const counted = whole ? await countWhole(part) : null;
    if (counted === null) {
      // DEFAULT and MINVALUE partitions have no lower bound: they may hold rows below the cut.
      if (part.lower === null || part.lower < cutoff) deleted += await deleteRows(part);
      continue;
    }
    drops.push(part);
    deleted += counted;
  }
  if (drops.length === 0) return deleted;
  if (target.eventIds !== undefined) {
    const b = binds();
    const ts = (date: Date | null) => dialect.timestampParam(b.add(at(date as Date)));
    const ranges = drops.map(
      (p) => `(${q('entry_ts')} >= ${ts(p.lower)} AND ${q('entry_ts')} < ${ts(p.upper)})`,
    );
    await s.execute(b.statement(`DELETE FROM ${target.eventIds} WHERE ${ranges.join(' OR ')}`));
  }
  const siblings = drops.flatMap((part) => keyParts.filter((k) => sameBounds(k, part)));
  const names = [...drops, ...siblings].map(nameOf).join(', ');
  await s.execute(binds().statement(`DROP TABLE ${names}`));
  return deleted;
}
