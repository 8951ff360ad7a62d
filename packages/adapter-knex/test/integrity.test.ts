import { runIntegrityConformance, type TamperHooks } from '@eventlog/conformance';
import { columnOf, entryToRawRow, type SqlKind, timestampLiteral } from '@eventlog/conformance/sql';
import type { Knex } from 'knex';
import { chainHeadsTableName } from '../src/index';
import { backends, openHarness, postgresPartitioned } from './support';

const kind = (knex: Knex): SqlKind => {
  const dialect = knex.client.dialect as string;
  return dialect === 'postgresql' ? 'postgres' : dialect === 'mysql' ? 'mysql' : 'sqlite';
};

/** Raw SQL edits, as someone with write access to the database would make them. */
function tamperHooks(knex: Knex, table: string): TamperHooks {
  return {
    async updateRaw(id, field, value) {
      const column = columnOf(field);
      const raw = typeof value === 'object' && value !== null ? JSON.stringify(value) : value;
      await knex(table)
        .where('id', id)
        .update({ [column]: raw });
    },
    async deleteRaw(id) {
      await knex(table).where('id', id).del();
    },
    async swapRaw(idA, idB) {
      const seqOf = async (id: string) =>
        Number(((await knex(table).where('id', id).first('seq')) as { seq: unknown }).seq);
      const [a, b] = [await seqOf(idA), await seqOf(idB)];
      // Through a free value: (chain, seq) is unique.
      await knex(table).where('id', idA).update({ seq: -1 });
      await knex(table).where('id', idB).update({ seq: a });
      await knex(table).where('id', idA).update({ seq: b });
    },
    async rewindHead(chain, seq, hash) {
      await knex(chainHeadsTableName(table)).where('chain', chain).update({ seq, hash });
    },
    async deleteHead(chain) {
      await knex(chainHeadsTableName(table)).where('chain', chain).del();
    },
    async moveStart(chain, seq, hash) {
      await knex(chainHeadsTableName(table))
        .where('chain', chain)
        .update({ start_seq: seq, start_hash: hash });
    },
    async insertRaw(entry) {
      const [row] = await knex(table)
        .insert(entryToRawRow(entry, kind(knex)))
        .returning('id');
      // mysql2 returns the id itself, the others `{ id }`.
      return String(typeof row === 'object' ? (row as { id: unknown }).id : row);
    },
    async retimeRaw(id, text) {
      await knex(table)
        .where('id', id)
        .update({ timestamp: timestampLiteral(text, kind(knex)) });
    },
  };
}

for (const backend of [...backends, postgresPartitioned]) {
  runIntegrityConformance<Knex.Transaction>({
    name: `knex (${backend.name})`,
    unavailable: backend.unavailable,
    async create() {
      const harness = await openHarness(backend);
      return { ...harness, tamper: tamperHooks(harness.knex, harness.table) };
    },
  });
}
