import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const run = promisify(execFile);

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Every published package: folder under `packages/` and name. */
export const PUBLISHED = [
  'core',
  'sql',
  'adapter-knex',
  'adapter-sequelize',
  'adapter-mongoose',
  'viewer',
  'http-express',
  'http-koa',
  'http-fastify',
  'http-hono',
  'http-nest',
  'cli',
  'conformance',
] as const;

const packageJson = async (folder: string) =>
  JSON.parse(await readFile(join(ROOT, folder, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };

/** Why the consumer project cannot be built here (a package not built yet), or undefined. */
export function unbuilt(): string | undefined {
  const missing = PUBLISHED.filter((p) => !existsSync(join(ROOT, 'packages', p, 'dist')));
  return missing.length === 0
    ? undefined
    : `not built (${missing.join(', ')}): run \`npm run build\` first`;
}

// Peers the app brings, at the versions this repository tests with; typescript and the type
// packages for the type-check.
const PEERS = [
  'knex',
  'better-sqlite3',
  'sqlite3',
  'sequelize',
  'mongoose',
  'express',
  'koa',
  '@koa/router',
  '@types/express',
  '@types/koa',
  'umzug',
  'fastify',
  'hono',
  '@hono/node-server',
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  'reflect-metadata',
  'rxjs',
  'vitest',
];
// Built from source on install, which takes minutes: installed without scripts, with the
// addon this repository built for the same version and Node copied in.
const NATIVE = ['better-sqlite3', 'sqlite3'];

/**
 * A fresh project in a temp dir: every published package packed with `npm pack` and installed
 * from its tarball, the peers from the registry (npm's cache first). Returns its path.
 */
export async function createConsumerProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'eventlog-consumer-'));
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--pack-destination', dir, ...PUBLISHED.map((p) => `-w=packages/${p}`)],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
  );
  const packed = JSON.parse(stdout) as { name: string; filename: string }[];
  const versions: Record<string, string> = {};
  for (const folder of ['.', ...PUBLISHED.map((p) => `packages/${p}`)]) {
    Object.assign(versions, (await packageJson(folder)).devDependencies);
  }
  const dependencies: Record<string, string> = {};
  for (const p of packed) dependencies[p.name] = `file:./${p.filename}`;
  for (const name of [...PEERS, 'typescript', '@types/node']) {
    const version = versions[name];
    if (version === undefined) throw new Error(`no version of ${name} in the workspace`);
    dependencies[name] = version;
  }
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies }, null, 2),
  );
  await run('npm', ['install', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const name of NATIVE) {
    await cp(join(ROOT, 'node_modules', name, 'build'), join(dir, 'node_modules', name, 'build'), {
      recursive: true,
    });
  }
  return dir;
}
