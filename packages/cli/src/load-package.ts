import { UsageError } from './usage-error';

/** The driver package knex loads for each client name. */
export const DRIVER_OF_CLIENT: Readonly<Record<string, string>> = {
  pg: 'pg',
  postgres: 'pg',
  postgresql: 'pg',
  mysql: 'mysql',
  mysql2: 'mysql2',
  'better-sqlite3': 'better-sqlite3',
  sqlite3: 'sqlite3',
};

function isMissing(error: unknown, name: string): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = e?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // Only the package asked for: a broken install of it (one of its own imports missing) is
  // reported as it is.
  return typeof e?.message === 'string' && e.message.includes(`'${name}'`);
}

/**
 * Imports an optional peer dependency of the CLI. When it is not installed, throws a
 * `UsageError` naming the package to install and what needs it, instead of "Cannot find module".
 */
export async function loadPackage<T>(name: string, neededFor: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    if (isMissing(error, name)) {
      throw new UsageError(
        `${neededFor} needs the package "${name}", which is not installed: npm install ${name}`,
      );
    }
    throw error;
  }
}
