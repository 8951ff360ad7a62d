import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildCli } from './cli-build';
import { CLI_BUILD_ENV } from './support';

// What the tests' config files import, beside what the CLI itself loads.
const CONFIG_IMPORTS = [
  '@eventlog/core',
  '@eventlog/adapter-knex',
  '@eventlog/adapter-sequelize',
  '@eventlog/adapter-mongoose',
];

/**
 * Builds the CLI from its sources once per test run, so each CLI process the tests start runs
 * JavaScript with plain node instead of compiling the TypeScript it loads. The build sits inside
 * the repository (its packages' dependencies resolve to the repository's node_modules), in a
 * folder of its own per run, removed at the end.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const root = fileURLToPath(
    new URL(`../test-artifacts/run-${randomBytes(4).toString('hex')}`, import.meta.url),
  );
  await buildCli(root, CONFIG_IMPORTS);
  process.env[CLI_BUILD_ENV] = root;
  return () => rm(root, { recursive: true, force: true });
}
