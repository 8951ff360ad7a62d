import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EventLogService, IntegrityOptions } from '@eventlog/core';
import type { EventLogStorage } from '@eventlog/core/storage';
import type { Knex } from 'knex';
import { UsageError } from './usage-error';

/** A knex database described by `--config` (JSON, or a module's default export). */
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

/** What a `--config` file gave: one of three kinds, and how to close it. */
export type ConfigFile = (
  | { kind: 'service'; service: EventLogService }
  | { kind: 'storage'; storage: EventLogStorage }
  | { kind: 'knex'; config: CliConfig }
) & {
  /** The module's `close` export, called once the command is done. */
  close: (() => unknown) | undefined;
};

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);

const hasFunctions = (value: object, names: string[]): boolean =>
  names.every((n) => typeof (value as Record<string, unknown>)[n] === 'function');

// Recognised by shape, not `instanceof`: the config imports the app's own copy of core.
function classify(value: unknown): ConfigFile['kind'] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (hasFunctions(value, ['list', 'verify', 'purge', 'checkpoint']) && 'storage' in value) {
    return 'service';
  }
  if (hasFunctions(value, ['insert', 'find', 'get', 'deleteBefore'])) return 'storage';
  const c = value as Partial<CliConfig>;
  if (typeof c.client === 'string' && c.connection != null) return 'knex';
  return undefined;
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  if (extname(file) === '.json') return { default: JSON.parse(await readFile(file, 'utf8')) };
  if (TYPESCRIPT.has(extname(file))) {
    // Node 20 cannot import TypeScript: jiti transpiles the config and what it imports.
    const { createJiti } = await import('jiti');
    return createJiti(pathToFileURL(file).href).import(file);
  }
  return import(pathToFileURL(file).href);
}

/**
 * Reads `--config`: `eventlog.config.{js,mjs,cjs,ts,mts,cts}` whose default export is an
 * `EventLogService`, a storage (`knexStorage(...)`, `sequelizeStorage(...)`,
 * `mongooseStorage(...)`) or a knex description `{ client, connection, tableName?, integrity? }`;
 * or a `.json` file holding the knex description. A named `close` export, when present, is called
 * after the command (to close the app's connection).
 */
export async function readConfigFile(path: string): Promise<ConfigFile> {
  const file = resolve(path);
  let module: Record<string, unknown>;
  let value: unknown;
  try {
    module = await importModule(file);
    value = await module.default;
  } catch (error) {
    throw new UsageError(`cannot read --config ${path}: ${(error as Error).message}`);
  }
  const close = typeof module.close === 'function' ? (module.close as () => unknown) : undefined;
  const kind = classify(value);
  if (kind === 'service') return { kind, service: value as EventLogService, close };
  if (kind === 'storage') return { kind, storage: value as EventLogStorage, close };
  if (kind === 'knex') return { kind, config: value as CliConfig, close };
  throw new UsageError(
    `--config ${path} must export default an EventLogService, a storage, or { client, connection, tableName?, integrity? }`,
  );
}
