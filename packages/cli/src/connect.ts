import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chainHeadsTableName, DEFAULT_TABLE_NAME, knexStorage } from '@eventlog/adapter-knex';
import { EventLogService, type IntegrityOptions } from '@eventlog/core';
import knexFactory, { type Knex } from 'knex';
import { maskUrls } from './mask-url';
import { UsageError } from './usage-error';

/** What `--config eventlog.config.json|.mjs` holds. */
export interface CliConfig {
  /** knex client: `pg`, `better-sqlite3`, `mysql2`... */
  client: string;
  /** knex connection (a URL or an object). */
  connection: Knex.Config['connection'];
  /** Default `"eventlog"`. */
  tableName?: string;
  /** The service's integrity options (only the presence matters to the CLI: it never appends). */
  integrity?: IntegrityOptions;
}

/** An open connection and the service over it. */
export interface Connected {
  knex: Knex;
  tableName: string;
  service: EventLogService;
  /** The chain-heads table exists, so verify/checkpoint work and purge keeps chains whole. */
  integrity: boolean;
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

/** Reads `--config`: JSON, or an ES module whose default export is the config. */
export async function readConfig(path: string): Promise<CliConfig> {
  const file = resolve(path);
  let config: unknown;
  try {
    config =
      extname(file) === '.json'
        ? JSON.parse(await readFile(file, 'utf8'))
        : ((await import(pathToFileURL(file).href)) as { default: unknown }).default;
  } catch (error) {
    throw new UsageError(`cannot read --config ${path}: ${(error as Error).message}`);
  }
  const c = config as Partial<CliConfig> | null;
  if (typeof c !== 'object' || c === null || typeof c.client !== 'string' || c.connection == null) {
    throw new UsageError(
      `--config ${path} must hold { client, connection, tableName?, integrity? }`,
    );
  }
  return c as CliConfig;
}

/** Opens the database named by `--db` or `--config` (`--table` overrides the table name). */
export async function connect(options: {
  db?: string | undefined;
  config?: string | undefined;
  table?: string | undefined;
}): Promise<Connected> {
  if ((options.db === undefined) === (options.config === undefined)) {
    throw new UsageError('give either --db <url> or --config <file>');
  }
  const config = options.db
    ? configFromUrl(options.db)
    : await readConfig(options.config as string);
  const tableName = options.table ?? config.tableName ?? DEFAULT_TABLE_NAME;
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
      (await knex.schema.hasTable(chainHeadsTableName(tableName)));
    const storage = knexStorage(knex, { tableName });
    const service = new EventLogService(
      storage,
      integrity ? { integrity: config.integrity ?? {} } : {},
    );
    return { knex, tableName, service, integrity };
  } catch (error) {
    await knex.destroy();
    throw error;
  }
}
