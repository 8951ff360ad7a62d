import { GENESIS_HASH, type RecordedCheckpoint } from '@eventlog/core/storage';
import type { SqlTarget } from './queries';
import { Binds, type Statement } from './statement';

/** The statements of the chain-heads table. */
export function headStatements({ dialect, table, heads, placeholder }: SqlTarget) {
  const q = dialect.quote;
  const binds = () => new Binds(placeholder);
  const byChain = (b: Binds, chain: string) => ` WHERE ${q('chain')} = ${b.add(chain)}`;
  const set = (b: Binds, values: Record<string, unknown>) =>
    Object.entries(values)
      .map(([column, value]) => `${q(column)} = ${b.add(value)}`)
      .join(', ');

  return {
    /**
     * The write that takes the partition's lock before anything is read (PostgreSQL's row lock,
     * SQLite's database write lock), returning the head row where RETURNING exists.
     */
    touch(chain: string): Statement {
      const b = binds();
      const returning = dialect.returning ? ' RETURNING *' : '';
      return b.statement(
        `UPDATE ${heads} SET ${q('seq')} = ${q('seq')}${byChain(b, chain)}${returning}`,
      );
    },

    /**
     * Creates the genesis head of `chain`. Elsewhere it does nothing when the row exists; on
     * MySQL it then takes the row's exclusive lock instead (`ON DUPLICATE KEY UPDATE`).
     */
    create(chain: string): Statement {
      const b = binds();
      const columns = ['chain', 'seq', 'hash', 'start_seq', 'start_hash'].map(q).join(', ');
      const values = `${b.add(chain)}, 0, ${b.add(GENESIS_HASH)}, 0, ${b.add(GENESIS_HASH)}`;
      const conflict =
        dialect.kind === 'mysql'
          ? ` ON DUPLICATE KEY UPDATE ${q('seq')} = ${q('seq')}`
          : ` ON CONFLICT (${q('chain')}) DO NOTHING`;
      return b.statement(`INSERT INTO ${heads} (${columns}) VALUES (${values})${conflict}`);
    },

    /** The head row of `chain`; `locking` reads it `FOR UPDATE` (MySQL: the latest commit). */
    read(chain: string, locking = false): Statement {
      const b = binds();
      const sql = `SELECT * FROM ${heads}${byChain(b, chain)}`;
      return b.statement(locking ? `${sql} FOR UPDATE` : sql);
    },

    /** Sets columns of the head row of `chain`. */
    update(chain: string, values: Record<string, unknown>): Statement {
      const b = binds();
      const assignments = set(b, values);
      return b.statement(`UPDATE ${heads} SET ${assignments}${byChain(b, chain)}`);
    },

    /** Records `checkpoint` unless the stored one is later. */
    checkpoint(chain: string, checkpoint: RecordedCheckpoint): Statement {
      const b = binds();
      const assignments = set(b, {
        checkpoint_seq: checkpoint.seq,
        checkpoint_hash: checkpoint.hash,
        checkpoint_at: checkpoint.at.toISOString(),
      });
      // Bound in the order they appear: `?` placeholders are positional.
      const where = byChain(b, chain);
      const later = `(${q('checkpoint_seq')} IS NULL OR ${q('checkpoint_seq')} <= ${b.add(checkpoint.seq)})`;
      return b.statement(`UPDATE ${heads} SET ${assignments}${where} AND ${later}`);
    },

    /** Every partition with a head row or chained entries; UNION removes duplicates. */
    list(): Statement {
      return binds().statement(
        `SELECT ${q('chain')} FROM ${heads} UNION SELECT ${q('chain')} FROM ${table} WHERE ${q('chain')} IS NOT NULL ORDER BY ${q('chain')}`,
      );
    },
  };
}
