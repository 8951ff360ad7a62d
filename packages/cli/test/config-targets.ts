import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createEventLogTable as createKnexTable, knexStorage } from '@eventlog/adapter-knex';
import { mongooseStorage } from '@eventlog/adapter-mongoose';
import {
  createEventLogTable as createSequelizeTable,
  sequelizeStorage,
} from '@eventlog/adapter-sequelize';
import type { EventLogStorage } from '@eventlog/core/storage';
import { mongoTestTarget } from '@eventlog/test-servers/mongodb';
import knexFactory from 'knex';
import mongoose from 'mongoose';
import { Sequelize } from 'sequelize';

/** One adapter's log, opened by the test, and the `eventlog.config.*` the CLI reads it through. */
export interface ConfigTarget {
  name: string;
  extension: 'mjs' | 'ts';
  unavailable(): string | undefined;
  open(dir: string): Promise<{
    storage: EventLogStorage;
    table: string;
    /** The config module's text: a default-exported `EventLogService` and a `close` export. */
    configSource: string;
    /** Rewrites the stored message of one entry behind the adapter's back. */
    tamper(id: string): Promise<void>;
    untamper(id: string, message: string): Promise<void>;
    close(): Promise<void>;
  }>;
}

const randomName = () => `eventlog_cfg_${randomBytes(5).toString('hex')}`;

export const knexTarget: ConfigTarget = {
  name: 'knex',
  extension: 'mjs',
  unavailable: () => undefined,
  async open(dir) {
    const file = join(dir, 'knex.db');
    const table = randomName();
    const db = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
    });
    await createKnexTable(db, { tableName: table });
    const setMessage = async (id: string, message: string) => {
      await db(table).where({ id }).update({ message });
    };
    return {
      storage: knexStorage(db, { tableName: table }),
      table,
      configSource: `import knex from 'knex';
import { EventLogService } from '@eventlog/core';
import { knexStorage } from '@eventlog/adapter-knex';

const db = knex({ client: 'better-sqlite3', connection: { filename: ${JSON.stringify(file)} }, useNullAsDefault: true });
export default new EventLogService(knexStorage(db, { tableName: '${table}' }), { integrity: {} });
export const close = () => db.destroy();
`,
      tamper: (id) => setMessage(id, 'forged'),
      untamper: setMessage,
      close: () => db.destroy(),
    };
  },
};

export const sequelizeTarget: ConfigTarget = {
  name: 'Sequelize',
  extension: 'ts',
  unavailable: () => undefined,
  async open(dir) {
    const file = join(dir, 'sequelize.db');
    const table = randomName();
    const sequelize = new Sequelize({ dialect: 'sqlite', storage: file, logging: false });
    await createSequelizeTable(sequelize, { tableName: table });
    const setMessage = async (id: string, message: string) => {
      await sequelize.query(`UPDATE "${table}" SET message = ? WHERE id = ?`, {
        replacements: [message, id],
      });
    };
    return {
      storage: sequelizeStorage(sequelize, { tableName: table }),
      table,
      configSource: `import { Sequelize } from 'sequelize';
import { EventLogService } from '@eventlog/core';
import { sequelizeStorage } from '@eventlog/adapter-sequelize';

const sequelize = new Sequelize({ dialect: 'sqlite', storage: ${JSON.stringify(file)}, logging: false });
const eventlog: EventLogService = new EventLogService(sequelizeStorage(sequelize, { tableName: '${table}' }), {
  integrity: {},
});
export default eventlog;
export const close = (): Promise<void> => sequelize.close();
`,
      tamper: (id) => setMessage(id, 'forged'),
      untamper: setMessage,
      close: () => sequelize.close(),
    };
  },
};

export const mongooseTarget: ConfigTarget = {
  name: 'Mongoose',
  extension: 'ts',
  unavailable: () => mongoTestTarget().unavailable,
  async open() {
    const { url, clientOptions } = mongoTestTarget();
    // jongodb has no `create` command: collections appear on first insert, indexes on demand.
    const options = { ...clientOptions, autoCreate: false, autoIndex: false };
    const conn = await mongoose.createConnection(url as string, options).asPromise();
    const collection = randomName();
    const storage = mongooseStorage(conn, { collection });
    await storage.ensureIndexes();
    const entries = conn.collection(collection);
    const setMessage = async (id: string, message: string) => {
      await entries.updateOne({ _id: new mongoose.Types.ObjectId(id) }, { $set: { message } });
    };
    return {
      storage,
      table: collection,
      configSource: `import mongoose from 'mongoose';
import { EventLogService } from '@eventlog/core';
import { mongooseStorage } from '@eventlog/adapter-mongoose';

const conn = mongoose.createConnection(${JSON.stringify(url)}, ${JSON.stringify(options)});
export default new EventLogService(mongooseStorage(conn, { collection: '${collection}' }), { integrity: {} });
export const close = (): Promise<void> => conn.close();
`,
      tamper: (id) => setMessage(id, 'forged'),
      untamper: setMessage,
      async close() {
        await entries.deleteMany({});
        await conn.collection(`${collection}_chain_heads`).deleteMany({});
        await conn.close();
      },
    };
  },
};
