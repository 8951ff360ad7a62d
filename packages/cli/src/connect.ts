import { EventLogService } from '@eventlog/core';
import type { Knex } from 'knex';
import { type CliConfig, readConfigFile } from './config-file';
import { DRIVER_OF_CLIENT, loadPackage } from './load-package';
import { maskUrls } from './mask-url';
import { UsageError } from './usage-error';

export type { CliConfig } from './config-file';

/** An open log and the service over it. */
export interface Connected {
  service: EventLogService;
  /** The log has a hash chain, so verify/checkpoint work and purge keeps chains whole. */
  integrity: boolean;
  /** The knex connection and table, when the log is a knex table (`--db` or a knex config). */
  knex: Knex | undefined;
  tableName: string | undefined;
  /** Closes what the command opened (and calls the config's `close`). */
  close(): Promise<void>;
}

/** Turns `--db` into a knex config: `sqlite:./file.db`, `postgres://...`, `mysql://...`. */
export function configFromUrl(db: string): CliConfig {
  if (db.startsWith('sqlite:')) {
    const filename = db.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (filename.length === 0)
      throw new UsageError('--db sqlite: needs a file, e.g. sqlite:./app.db');
    return { client: 'better-sqlite3', connection: { filename } };
  }
  if (/^postgres(ql)?:\/\//.test(db)) return { client: 'pg', connection: db };
  if (/^mysql:\/\//.test(db)) return { client: 'mysql2', connection: db };
  // Masked before it is cut: a cut could leave the start of a password.
  throw new UsageError(
    `--db must be sqlite:<file>, postgres://... or mysql://..., not "${maskUrls(db).slice(0, 60)}"`,
  );
}

async function openKnex(config: CliConfig, table: string | undefined): Promise<Connected> {
  const purpose = `a knex database (client "${config.client}")`;
  const { default: knexFactory } = await loadPackage<typeof import('knex')>('knex', purpose);
  const adapter = await loadPackage<typeof import('@eventlog/adapter-knex')>(
    '@eventlog/adapter-knex',
    purpose,
  );
  const driver = DRIVER_OF_CLIENT[config.client];
  if (driver !== undefined) await loadPackage(driver, `the knex client "${config.client}"`);
  const tableName = table ?? config.tableName ?? adapter.DEFAULT_TABLE_NAME;
  const sqlite = config.client === 'better-sqlite3' || config.client === 'sqlite3';
  const knex = knexFactory({
    client: config.client,
    connection: config.connection,
    useNullAsDefault: sqlite,
    pool: sqlite ? { min: 1, max: 1 } : { min: 0, max: 4 },
    // Failures reach the user once, as the command's error; knex would print them again.
    log: { warn() {}, error() {}, deprecate() {}, debug() {} },
  });
  try {
    const integrity =
      config.integrity !== undefined ||
      (await knex.schema.hasTable(adapter.chainHeadsTableName(tableName)));
    const storage = adapter.knexStorage(knex, { tableName });
    const service = new EventLogService(
      storage,
      integrity ? { integrity: config.integrity ?? {} } : {},
    );
    return { knex, tableName, service, integrity, close: () => knex.destroy() };
  } catch (error) {
    await knex.destroy();
    throw error;
  }
}

/**
 * Opens the log named by `--db` or `--config` (`--table` overrides a knex table name). A config
 * exporting an `EventLogService` or a storage serves every adapter; its `close` export runs after
 * the command.
 */
export async function connect(options: {
  db?: string | undefined;
  config?: string | undefined;
  table?: string | undefined;
}): Promise<Connected> {
  if ((options.db === undefined) === (options.config === undefined)) {
    throw new UsageError('give either --db <url> or --config <file>');
  }
  if (options.db !== undefined) return openKnex(configFromUrl(options.db), options.table);
  const file = await readConfigFile(options.config as string);
  const closeFile = async () => {
    await file.close?.();
  };
  if (file.kind === 'knex') {
    const connected = await openKnex(file.config, options.table);
    return {
      ...connected,
      close: async () => {
        await connected.close();
        await closeFile();
      },
    };
  }
  if (options.table !== undefined) {
    throw new UsageError('--table applies to --db and knex configs; the storage names its table');
  }
  const service =
    file.kind === 'service'
      ? file.service
      : new EventLogService(
          file.storage,
          file.storage.capabilities.integrity === true ? { integrity: {} } : {},
        );
  const integrity = service.storage.capabilities.integrity === true;
  return { service, integrity, knex: undefined, tableName: undefined, close: closeFile };
}
