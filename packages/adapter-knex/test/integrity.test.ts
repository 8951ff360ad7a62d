import { runIntegrityConformance, type TamperHooks } from '@eventlog/conformance';
import type { Knex } from 'knex';
import { chainHeadsTableName } from '../src/index';
import { backends, openHarness } from './support';

const COLUMNS: Record<string, string> = {
  actorId: 'actor_id',
  actorLabel: 'actor_label',
  objectType: 'object_type',
  objectId: 'object_id',
  eventId: 'event_id',
  prevHash: 'prev_hash',
};

/** Raw SQL edits, as someone with write access to the database would make them. */
function tamperHooks(knex: Knex, table: string): TamperHooks {
  return {
    async updateRaw(id, field, value) {
      const column = COLUMNS[field] ?? field;
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
  };
}

for (const backend of backends) {
  runIntegrityConformance<Knex.Transaction>({
    name: `knex (${backend.name})`,
    unavailable: backend.unavailable,
    async create() {
      const harness = await openHarness(backend);
      return { ...harness, tamper: tamperHooks(harness.knex, harness.table) };
    },
  });
}
