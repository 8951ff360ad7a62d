import { runIntegrityConformance, type TamperHooks } from '@eventlog/conformance';
import { columnOf, entryToRawRow, type SqlKind, timestampLiteral } from '@eventlog/conformance/sql';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { chainHeadsTableName, createEventLogTable, sequelizeStorage } from '../src/index';
import { backends, randomTable, readRaw } from './support';

/** Raw SQL edits, as someone with write access to the database would make them. */
function tamperHooks(sequelize: Sequelize, table: string): TamperHooks {
  const run = (sql: string, bind: unknown[]) => sequelize.query(sql, { bind });
  const kind: SqlKind = sequelize.getDialect() === 'postgres' ? 'postgres' : 'sqlite';
  const heads = chainHeadsTableName(table);
  return {
    async updateRaw(id, field, value) {
      const column = columnOf(field);
      const raw = typeof value === 'object' && value !== null ? JSON.stringify(value) : value;
      await run(`UPDATE "${table}" SET "${column}" = $1 WHERE "id" = $2`, [raw, Number(id)]);
    },
    async deleteRaw(id) {
      await run(`DELETE FROM "${table}" WHERE "id" = $1`, [Number(id)]);
    },
    async swapRaw(idA, idB) {
      const seqOf = async (id: string) => {
        const [row] = await sequelize.query<{ seq: unknown }>(
          `SELECT "seq" FROM "${table}" WHERE "id" = $1`,
          { bind: [Number(id)], type: QueryTypes.SELECT },
        );
        return Number(row?.seq);
      };
      const [a, b] = [await seqOf(idA), await seqOf(idB)];
      // Through a free value: (chain, seq) is unique.
      const setSeq = (id: string, seq: number) =>
        run(`UPDATE "${table}" SET "seq" = $1 WHERE "id" = $2`, [seq, Number(id)]);
      await setSeq(idA, -1);
      await setSeq(idB, a);
      await setSeq(idA, b);
    },
    async rewindHead(chain, seq, hash) {
      await run(`UPDATE "${heads}" SET "seq" = $1, "hash" = $2 WHERE "chain" = $3`, [
        seq,
        hash,
        chain,
      ]);
    },
    async deleteHead(chain) {
      await run(`DELETE FROM "${heads}" WHERE "chain" = $1`, [chain]);
    },
    async moveStart(chain, seq, hash) {
      await run(`UPDATE "${heads}" SET "start_seq" = $1, "start_hash" = $2 WHERE "chain" = $3`, [
        seq,
        hash,
        chain,
      ]);
    },
    async insertRaw(entry) {
      const row = entryToRawRow(entry, kind);
      const columns = Object.keys(row);
      await run(
        `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        Object.values(row),
      );
      // Ids ascend, and nothing else writes to the test's table meanwhile.
      const [last] = await sequelize.query<{ id: unknown }>(
        `SELECT MAX("id") AS "id" FROM "${table}"`,
        {
          type: QueryTypes.SELECT,
        },
      );
      return String(last?.id);
    },
    async retimeRaw(id, text) {
      await run(`UPDATE "${table}" SET "timestamp" = $1 WHERE "id" = $2`, [
        timestampLiteral(text, kind),
        Number(id),
      ]);
    },
  };
}

for (const backend of backends) {
  runIntegrityConformance<Transaction>({
    name: `sequelize (${backend.name})`,
    unavailable: backend.unavailable,
    async create() {
      const db = await backend.open();
      const table = randomTable();
      await createEventLogTable(db.sequelize, { tableName: table });
      return {
        storage: sequelizeStorage(db.sequelize, { tableName: table }),
        readRaw: (id) => readRaw(db.sequelize, table, id),
        withTransaction: (fn) => db.sequelize.transaction((t) => fn(t)),
        tamper: tamperHooks(db.sequelize, table),
        noConcurrentWrites:
          db.sequelize.getDialect() === 'sqlite'
            ? "Sequelize's SQLite dialect opens a connection per transaction with no busy timeout: concurrent writers get SQLITE_BUSY"
            : undefined,
        close: () => db.close(),
      };
    },
  });
}
